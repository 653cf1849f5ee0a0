import Foundation
import Testing

/// Issue #12, items 1, 6 and 13–16: imports stay inside the root, every input is read under
/// the size limit, consistent exit codes, and the smaller wrong answers. Through the binary.
@Suite struct InputHardeningTests {
    static let fragment = try! String(contentsOf: CLI.packageRoot.appendingPathComponent("Tests/GoldenTests/workflow/valid/fragments/three-party-signoff.yaml"), encoding: .utf8)
    static let workflowText = try! String(contentsOf: CLI.packageRoot.appendingPathComponent("Tests/GoldenTests/workflow/valid/with-fragment.yaml"), encoding: .utf8)
    static let handover = CLI.packageRoot.appendingPathComponent("workflows/company-handover.yaml").path

    /// A repository (`repo/.git`) with the workflow importing `imports`, and a secret file
    /// next to the repository, outside it.
    static func repository(imports: [String]) throws -> URL {
        let text = workflowText.replacingOccurrences(of: "import: [fragments/three-party-signoff.yaml]",
                                                     with: "import: [\(imports.joined(separator: ", "))]")
        let dir = try CLI.tempDir([
            "repo/.git/HEAD": "ref: refs/heads/main\n",
            "repo/wf/with-fragment.yaml": text,
            "repo/wf/fragments/three-party-signoff.yaml": fragment,
            "repo/wf/notes.yaml": "password: hunter2\nopening_line: TOP-SECRET-LINE\n",
            "secret.yaml": "api_key: SECRET-KEY-NAME\nline2: SECRET-LINE-TWO\n",
        ])
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("repo/wf/fragments/out.yaml").path,
                                                   withDestinationPath: dir.appendingPathComponent("secret.yaml").path)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("repo/wf/fragments/in.yaml").path,
                                                   withDestinationPath: "three-party-signoff.yaml")
        return dir
    }

    // `password:` (the key as written), not the word: the SARIF rules explain PostgreSQL URLs and passwords.
    static let leaks = ["SECRET", "api_key", "hunter2", "password:", "TOP-SECRET", "root:x:"]

    @Test func importsOutsideTheRootAreRefusedAndNothingIsEchoedInAnyFormat() throws {
        let dir = try Self.repository(imports: ["fragments/three-party-signoff.yaml", "/etc/passwd", "../../secret.yaml",
                                                "../../../../../../etc/passwd", "fragments/out.yaml", "fragments", "notes.yaml"])
        for format in ["human", "json", "sarif", "github"] {
            let r = try CLI.run(["check", "--format", format, "wf/with-fragment.yaml"], cwd: dir.appendingPathComponent("repo"))
            #expect(r.status == 1, "\(format): \(r.stderr)")
            for leak in Self.leaks {
                #expect(!r.stdout.contains(leak), "\(format) leaks \(leak):\n\(r.stdout)")
            }
            #expect(r.stdout.components(separatedBy: "WFC3015").count - 1 >= (format == "sarif" ? 1 : 4), "\(format): \(r.stdout)")
            #expect(r.stdout.contains("WFC3016"), "\(format)")
            #expect(r.stdout.contains("WFC3017"), "\(format)")
        }
        let human = try CLI.run(["check", "wf/with-fragment.yaml"], cwd: dir.appendingPathComponent("repo"))
        #expect(human.stdout.contains("wf/with-fragment.yaml:4:46: error[WFC3015]: the import `/etc/passwd` is an absolute path"), "\(human.stdout)")
        #expect(human.stdout.contains("the import `fragments/out.yaml` is a symbolic link to a file outside the root"))
        #expect(human.stdout.contains("`notes.yaml` is not a fragment file"))
        #expect(human.stdout.contains("= help:"))
    }

    @Test func aLinkInsideTheRootIsFollowedAndRootWidensTheLimit() throws {
        let dir = try Self.repository(imports: ["fragments/in.yaml"])
        let repo = dir.appendingPathComponent("repo")
        let inside = try CLI.run(["check", "wf/with-fragment.yaml"], cwd: repo)
        #expect(inside.status == 0, "\(inside.stdout)")
        // `--root` on every command that compiles.
        let outside = try Self.repository(imports: ["../../secret.yaml"])
        let narrow = try CLI.run(["compile", "wf/with-fragment.yaml"], cwd: outside.appendingPathComponent("repo"))
        #expect(narrow.stderr.contains("WFC3015"), "\(narrow.stderr)")
        let wide = try CLI.run(["graph", "--root", outside.path, "wf/with-fragment.yaml"], cwd: outside.appendingPathComponent("repo"))
        // Inside the wider root it is read, and, not being a fragment, still not echoed.
        #expect(wide.stderr.contains("WFC3017"), "\(wide.stderr)")
        #expect(!wide.stderr.contains("SECRET"))
        let badRoot = try CLI.run(["check", "--root", "no/such/dir", "wf"], cwd: repo)
        #expect(badRoot.status == 2)
    }

    @Test func linksOutOfTheRootAreNotFollowedWhenWalkingAFolder() throws {
        let dir = try Self.repository(imports: ["fragments/three-party-signoff.yaml"])
        let repo = dir.appendingPathComponent("repo")
        try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("wf/leak.yaml").path,
                                                   withDestinationPath: dir.appendingPathComponent("secret.yaml").path)
        try FileManager.default.removeItem(at: repo.appendingPathComponent("wf/notes.yaml"))
        let r = try CLI.run(["check", "wf"], cwd: repo)
        #expect(r.status == 0, "\(r.stdout)")
        #expect(!r.stdout.contains("SECRET") && !r.stdout.contains("leak.yaml"))
        #expect(r.stderr.contains("checked 3 files"), "\(r.stderr)")
        let wide = try CLI.run(["check", "--root", dir.path, "wf"], cwd: repo)
        #expect(wide.stdout.contains("wf/leak.yaml"), "\(wide.stdout)")
    }

    @Test func everyInputIsReadUnderTheLimitWhateverItIs() throws {
        let dir = try CLI.tempDir(["case.yaml": "people: {a: b}\n"])
        let store = ["WFC_STORE": dir.appendingPathComponent("s.sqlite").path]
        let runs: [[String]] = [
            ["check", "/dev/zero"],
            ["check", "--max-file-bytes", "4096", "/dev/urandom"],
            ["compile", "/dev/zero"],
            ["run", Self.handover, "--data", "/dev/zero", "--events", "/dev/zero"],
            ["run", Self.handover, "--data", "case.yaml", "--events", "/dev/urandom", "--max-file-bytes", "4096"],
            ["case", "start", Self.handover, "--data", "/dev/zero"],
            ["expr", "x > 1", "--decl", "x=int", "--vars", "/dev/zero"],
        ]
        for args in runs {
            let r = try CLI.run(args, cwd: dir, env: store)
            #expect(r.status == 1, "\(args): \(r.status) \(r.stderr)")
            #expect((r.stdout + r.stderr).contains("error[WFC1008]"), "\(args): \(r.stdout) \(r.stderr)")
        }
        let stdin = try CLI.run(["check", "--max-file-bytes", "10", "-"], stdin: String(repeating: "a: 1\n", count: 100))
        #expect(stdin.stdout.contains("<stdin>:1:1: error[WFC1008]: the input is larger than the limit of 10 bytes"), "\(stdin.stdout)")
    }

    @Test func aMissingFileIsAUsageErrorForEveryInput() throws {
        let dir = try CLI.tempDir(["case.yaml": "people: {a: b}\n"])
        let store = ["WFC_STORE": dir.appendingPathComponent("s.sqlite").path]
        for args in [["case", "start", "nosuch.yaml", "--data", "case.yaml"], ["case", "start", Self.handover, "--data", "nosuch.yaml"],
                     ["run", "nosuch.yaml", "--data", "case.yaml", "--events", "case.yaml"], ["compile", "nosuch.yaml"]] {
            let r = try CLI.run(args, cwd: dir, env: store)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
        }
    }

    @Test func nowWithoutOffsetIsShownAndABadStartIsAnError() throws {
        let dir = try CLI.tempDir([
            "case.yaml": "start: next tuesday\npeople: {handover: zhang.san, receiver: li.si, manager: wang.wu, hr: zhao.liu}\ndata: {reason: resignation, last_day: 2025-10-31}\n",
            "good.yaml": "people: {handover: zhang.san, receiver: li.si, manager: wang.wu, hr: zhao.liu}\ndata: {reason: resignation, last_day: 2025-10-31}\n",
        ])
        let env = ["WFC_STORE": dir.appendingPathComponent("s.sqlite").path]
        let bad = try CLI.run(["case", "start", Self.handover, "--data", "case.yaml", "--now", "2025-09-26T10:00:00+08:00"], cwd: dir, env: env)
        #expect(bad.status == 1, "\(bad.stderr)")
        #expect(bad.stderr.contains("case.yaml:1:8: error[WFC6001]: start: `next tuesday` is not a time"), "\(bad.stderr)")
        let good = try CLI.run(["case", "start", Self.handover, "--data", "good.yaml", "--now", "2025-09-26"], cwd: dir, env: env)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stderr.contains("--now `2025-09-26` has no UTC offset: read as 2025-09-26T09:00:00+08:00 (Asia/Shanghai, the workflow calendar's time zone)"), "\(good.stderr)")
        let help = try CLI.run(["case", "start", "--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("without a UTC offset (a date means 09:00) read in the workflow calendar's time zone"), "\(words)")
    }

    @Test func caseDataErrorsPointAtTheValue() throws {
        let dir = try CLI.tempDir([
            "case.yaml": "# a case\npeople: {handover: zhang.san, receiver: li.si, manager: wang.wu, hr: zhao.liu}\ndata:\n  reason: resignation\n  last_day: next friday\n",
            "events.yaml": "- fire: submit\n  as: zhang.san\n",
        ])
        let env = ["WFC_STORE": dir.appendingPathComponent("s.sqlite").path]
        let start = try CLI.run(["case", "start", Self.handover, "--data", "case.yaml"], cwd: dir, env: env)
        #expect(start.stderr.contains("case.yaml:5:13: error[WFC6001]"), "\(start.stderr)")
        let run = try CLI.run(["run", Self.handover, "--data", "case.yaml", "--events", "events.yaml"], cwd: dir)
        #expect(run.stdout.contains("case.yaml:5:13: error[WFC6001]"), "\(run.stdout)")
    }

    @Test func listNamesAnUnknownState() throws {
        let dir = try CLI.tempDir(["good.yaml": "people: {handover: zhang.san, receiver: li.si, manager: wang.wu, hr: zhao.liu}\ndata: {reason: resignation, last_day: 2025-10-31}\n"])
        let env = ["WFC_STORE": dir.appendingPathComponent("s.sqlite").path]
        let start = try CLI.run(["case", "start", Self.handover, "--data", "good.yaml", "--now", "2025-09-26T10:00:00+08:00"], cwd: dir, env: env)
        #expect(start.status == 0, "\(start.stderr)")
        let typo = try CLI.run(["case", "list", "--state", "reveiw"], cwd: dir, env: env)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("error[WFC0003]: no workflow in the store has a state `reveiw`"), "\(typo.stderr)")
        #expect(typo.stderr.contains("did you mean `review`?"))
        let known = try CLI.run(["case", "list", "--state", "review"], cwd: dir, env: env)
        #expect(known.status == 0)
        #expect(known.stdout == "no cases\n")
    }

    @Test func exprWithDeclarationsAndNoValuesIsTypeCheckedOnly() throws {
        let r = try CLI.run(["expr", "x > 3", "--decl", "x=int"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "type: bool\nnot evaluated: no value for `x` (type-checked only; give values with --vars)\n")
        let json = try CLI.run(["expr", "x > 3", "--decl", "x=int", "--format", "json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"not_evaluated\""))
        // A real evaluation error still fails.
        let fails = try CLI.run(["expr", "1 / x", "--decl", "x=int", "--vars", "/dev/stdin"], stdin: "{\"x\": 0}")
        #expect(fails.status == 1, "\(fails.stdout) \(fails.stderr)")
    }

    @Test func compileTakesTheLimitsAndWritesCompactIRWithTheSameHash() throws {
        let compact = try CLI.run(["compile", Self.handover])
        let pretty = try CLI.run(["compile", "--pretty", Self.handover])
        #expect(compact.status == 0 && pretty.status == 0)
        #expect(compact.stdout.split(separator: "\n").count == 1)
        #expect(pretty.stdout.split(separator: "\n").count > 100)
        func hash(_ s: String) throws -> String? {
            (try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])?["contentHash"] as? String
        }
        #expect(try hash(compact.stdout) != nil)
        #expect(try hash(compact.stdout) == hash(pretty.stdout))
        let limited = try CLI.run(["compile", "--max-file-bytes", "100", Self.handover])
        #expect(limited.status == 1)
        #expect(limited.stderr.contains("WFC1008"))
        let raised = try CLI.run(["compile", "--max-file-bytes", "100000000", "--max-depth", "300", Self.handover])
        #expect(raised.status == 0)
    }
}
