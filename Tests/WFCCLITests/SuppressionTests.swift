import Foundation
import Testing
import WFCDiagnostics
import WFCDriver

/// `.wfc.yaml`, `# wfc-ignore:` comments and `--show-suppressed`, through the real binary.
@Suite struct SuppressionTests {
    /// A valid policy with one unused role (`witness`, WFC5010, a warning) on line 6.
    static func policy(witnessLine: String = "  witness: {title: 监交人}", before: String? = nil) -> String {
        var lines = [
            "workflow: demo", "version: 1", "title: 演示", "roles:", "  handover: {title: 交接人}",
        ]
        if let before { lines.append(before) }
        lines += [
            witnessLine, "start: apply", "states:",
            "  apply: {assumption: 原文未规定申请步骤, on: {submit: {by: handover, to: done}}}", "  done: {final: completed}", "",
        ]
        return lines.joined(separator: "\n")
    }

    /// A repository (a `.git` folder stops the search for `.wfc.yaml`) holding `files`.
    static func repo(_ files: [String: String]) throws -> URL {
        let dir = try CLI.tempDir(files)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
        return dir
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
    }

    @Test func theWarningIsReportedWithoutAnyIgnore() throws {
        let dir = try Self.repo(["a.yaml": Self.policy()])
        let r = try CLI.run(["check", "--strict", "a.yaml"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("a.yaml:6:3: warning[WFC5010]"), "\(r.stdout)")
    }

    @Test func anIgnoreOnTheLineSuppressesAndStrictPasses() throws {
        let dir = try Self.repo(["a.yaml": Self.policy(witnessLine: "  witness: {title: 监交人}  # wfc-ignore: WFC5010 该角色由集团统一配置")])
        let r = try CLI.run(["check", "--strict", "a.yaml"], cwd: dir)
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "checked 1 file: 0 errors, 0 warnings, 1 suppressed\n")
    }

    @Test func anIgnoreAloneOnTheLineBeforeSuppressesByName() throws {
        let dir = try Self.repo(["a.yaml": Self.policy(before: "  # wfc-ignore: unused-role, WFC5019 集团统一配置")])
        let r = try CLI.run(["check", "a.yaml", "--format", "json"], cwd: dir)
        #expect(r.status == 0)
        let records = try Self.jsonLines(r.stdout)
        // WFC5010 is suppressed; WFC5019 was named too but is not reported: that is a warning.
        #expect(records.map { $0["code"] as? String } == ["WFC0018"])
        #expect(records.first?["message"] as? String == "`WFC5019` is not reported here: this ignore suppresses nothing")
        // Only one of the two codes is unused, so there is no fix-it deleting the comment.
        #expect((records.first?["fixes"] as? [Any])?.isEmpty == true)
    }

    /// An ignore alone on its line applies to the next line only: a blank line in between
    /// leaves the warning reported and the ignore unused.
    @Test func anIgnoreTwoLinesAboveDoesNothing() throws {
        let text = Self.policy(before: "  # wfc-ignore: WFC5010 集团统一配置\n")
        let dir = try Self.repo(["a.yaml": text])
        let r = try CLI.run(["check", "a.yaml", "--format", "json"], cwd: dir)
        let records = try Self.jsonLines(r.stdout)
        #expect(records.map { $0["code"] as? String ?? "" } == ["WFC0018", "WFC5010"], "\(r.stdout)")
        // The fix-it deletes the comment's whole line.
        let fix = try #require((records.first?["fixes"] as? [[String: Any]])?.first?["location"] as? [String: Any])
        let start = try #require((fix["start"] as? [String: Int])?["offset"])
        let end = try #require((fix["end"] as? [String: Int])?["offset"])
        let bytes = Array(text.utf8)
        let fixed = String(decoding: bytes[..<start] + bytes[end...], as: UTF8.self)
        #expect(fixed == Self.policy(before: ""))
    }

    @Test func hashInsideQuotedAndBlockScalarsIsNotAComment() throws {
        let block = Self.policy(witnessLine: "  witness: {title: 监交人}", before: "  clerk:\n    title: |-\n      文员\n      # wfc-ignore: WFC5010 块标量里的文字")
            .replacingOccurrences(of: "by: handover", with: "by: clerk")
        let quoted = Self.policy(witnessLine: "  witness: {title: \"监交人 # wfc-ignore: WFC5010 引号里的文字\"}")
        let single = Self.policy(witnessLine: "  witness: {title: '监交人 # wfc-ignore: WFC5010 引号里的文字'}")
        for text in [block, quoted, single] {
            let dir = try Self.repo(["a.yaml": text])
            let r = try CLI.run(["check", "a.yaml", "--format", "json"], cwd: dir)
            let records = try Self.jsonLines(r.stdout)
            // Still reported (and `handover` is unused in the first, reported too); no unused-ignore.
            #expect(records.contains { $0["code"] as? String == "WFC5010" && ($0["start"] as? [String: Int])?["line"] == text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  witness") }.map { $0 + 1 } }, "\(r.stdout)")
            #expect(!records.contains { ($0["code"] as? String ?? "").hasPrefix("WFC001") }, "\(r.stdout)")
        }
    }

    @Test func anUnusedIgnoreWarnsWithAFixItThatRemovesIt() throws {
        let text = Self.policy().replacingOccurrences(of: "title: 演示", with: "title: 演示  # wfc-ignore: WFC5010 这一行没有")
        let dir = try Self.repo(["a.yaml": text])
        let r = try CLI.run(["check", "a.yaml", "--format", "json"], cwd: dir)
        #expect(r.status == 0)
        let unused = try #require(try Self.jsonLines(r.stdout).first { $0["code"] as? String == "WFC0018" })
        #expect(unused["severity"] as? String == "warning")
        let fix = try #require((unused["fixes"] as? [[String: Any]])?.first)
        #expect(fix["replacement"] as? String == "")
        let location = try #require(fix["location"] as? [String: Any])
        let start = try #require((location["start"] as? [String: Int])?["offset"])
        let end = try #require((location["end"] as? [String: Int])?["offset"])
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[start..<end], as: UTF8.self) == "  # wfc-ignore: WFC5010 这一行没有")
        let strict = try CLI.run(["check", "--strict", "a.yaml"], cwd: dir)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("warning[WFC0018]"))
    }

    @Test func anIgnoreWithoutAReasonIsAnErrorAndSuppressesNothing() throws {
        let dir = try Self.repo(["a.yaml": Self.policy(witnessLine: "  witness: {title: 监交人}  # wfc-ignore: WFC5010")])
        let r = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC0017]: this ignore gives no reason, so it suppresses nothing"), "\(r.stdout)")
        #expect(r.stdout.contains("warning[WFC5010]"))
    }

    @Test func anUnknownCodeSuggestsTheNearest() throws {
        let dir = try Self.repo(["a.yaml": Self.policy(witnessLine: "  witness: {title: 监交人}  # wfc-ignore: unused-rol 集团统一配置")])
        let r = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC0012]: no diagnostic has the code or name `unused-rol`"), "\(r.stdout)")
        #expect(r.stdout.contains("did you mean `unused-role`?"))
    }

    @Test func theConfigurationChangesASeverity() throws {
        let dir = try Self.repo(["a.yaml": Self.policy(), ".wfc.yaml": "severity:\n  unused-role: error\n"])
        let r = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC5010]"), "\(r.stdout)")
        // --no-config: the file is not read, the warning is a warning again.
        let none = try CLI.run(["check", "--no-config", "a.yaml"], cwd: dir)
        #expect(none.status == 0)
        #expect(none.stdout.contains("warning[WFC5010]"))
    }

    @Test func offSuppressesAndIsFoundFromASubfolder() throws {
        let dir = try Self.repo(["policies/hr/a.yaml": Self.policy(), ".wfc.yaml": "severity:\n  WFC5010: off\n"])
        let r = try CLI.run(["check", "--strict", "policies"], cwd: dir)
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stderr.contains("1 suppressed"))
        // The search stops at the repository root: a configuration above it is not used.
        let inner = dir.appendingPathComponent("policies")
        try FileManager.default.createDirectory(at: inner.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let stopped = try CLI.run(["check", "--strict", "hr"], cwd: inner)
        #expect(stopped.status == 1)
    }

    @Test func pathGlobIgnoresOnlyMatchingFiles() throws {
        let config = """
            ignore:
              - path: legacy/**/*.yaml
                codes: [WFC5010]
                reason: 旧制度，2026 年底停用

            """
        let dir = try Self.repo(["legacy/2019/a.yaml": Self.policy(), "current/a.yaml": Self.policy(), ".wfc.yaml": config])
        let r = try CLI.run(["check", ".", "--format", "json"], cwd: dir)
        let records = try Self.jsonLines(r.stdout)
        #expect(records.map { $0["file"] as? String } == ["current/a.yaml"], "\(r.stdout)")
        // --show-suppressed lists the other, with the reason, in JSON.
        let shown = try Self.jsonLines(try CLI.run(["check", ".", "--format", "json", "--show-suppressed"], cwd: dir).stdout)
        let legacy = try #require(shown.first { $0["file"] as? String == "legacy/2019/a.yaml" })
        let suppressed = try #require(legacy["suppressed"] as? [String: Any])
        #expect(suppressed["kind"] as? String == "external")
        #expect(suppressed["justification"] as? String == "旧制度，2026 年底停用")
        #expect(shown.first { $0["file"] as? String == "current/a.yaml" }?["suppressed"] == nil)
    }

    @Test func showSuppressedInHumanAndSARIF() throws {
        let dir = try Self.repo(["a.yaml": Self.policy(witnessLine: "  witness: {title: 监交人}  # wfc-ignore: WFC5010 该角色由集团统一配置")])
        let human = try CLI.run(["check", "a.yaml", "--show-suppressed"], cwd: dir)
        #expect(human.status == 0)
        #expect(human.stdout.contains("warning[WFC5010]: (suppressed) role `witness` is declared but never used"), "\(human.stdout)")
        #expect(human.stdout.contains("= suppressed: by a wfc-ignore comment (a.yaml:6): 该角色由集团统一配置"))
        // Without the flag, SARIF has no result at all; with it, the result carries `suppressions`.
        let plain = try CLI.run(["check", "a.yaml", "--format", "sarif"], cwd: dir)
        let plainRun = try #require(((try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])?.first)
        #expect((plainRun["results"] as? [Any])?.isEmpty == true)
        let sarif = try CLI.run(["check", "a.yaml", "--format", "sarif", "--show-suppressed"], cwd: dir)
        #expect(sarif.status == 0)
        let run = try #require(((try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])?.first)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "WFC5010")
        let suppression = try #require((result["suppressions"] as? [[String: Any]])?.first)
        #expect(suppression["kind"] as? String == "inSource")
        #expect(suppression["justification"] as? String == "该角色由集团统一配置")
    }

    @Test func aSuppressedErrorNoLongerFails() throws {
        // Raised to an error, WFC5010 would fail the check; the path ignore suppresses it.
        let dir = try Self.repo(["a.yaml": Self.policy(), ".wfc.yaml": "severity:\n  WFC5010: error\nignore:\n  - path: a.yaml\n    reason: 试点\n"])
        let r = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(r.status == 0, "\(r.stdout)")
    }

    @Test func aBadConfigurationIsADiagnosticWithAPosition() throws {
        let dir = try Self.repo(["a.yaml": Self.policy(), ".wfc.yaml": "severity:\n  WFC5010: warn\nlang: zh_CN\n"])
        let r = try CLI.run(["check", "a.yaml", "--format", "json"], cwd: dir)
        #expect(r.status == 1)
        let records = try Self.jsonLines(r.stdout)
        #expect(records.map { "\($0["file"] ?? "")|\($0["code"] ?? "")" } == [".wfc.yaml|WFC0013", ".wfc.yaml|WFC0016", "a.yaml|WFC5010"])
        #expect((records[0]["start"] as? [String: Int])?["line"] == 2)
        #expect(records[0]["help"] as? String == "did you mean `warning`?")
        #expect(records[1]["help"] as? String == "did you mean `zh-CN`?")
    }

    @Test func configFlagAndUnreadableConfig() throws {
        let dir = try Self.repo(["a.yaml": Self.policy(), "ci/strict.yaml": "severity:\n  WFC5010: error\n"])
        let r = try CLI.run(["check", "--config", "ci/strict.yaml", "a.yaml"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC5010]"))
        let missing = try CLI.run(["check", "--config", "nope.yaml", "a.yaml"], cwd: dir)
        #expect(missing.status == 2)
        // A folder named .wfc.yaml is not read as one.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".wfc.yaml"), withIntermediateDirectories: true)
        let folder = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(folder.status == 1)
        #expect(folder.stdout.contains("error[WFC0010]: cannot read the configuration: it is a directory, not a regular file"), "\(folder.stdout)")
        // A link to a file outside the repository is not read, and nothing of it is shown.
        try FileManager.default.removeItem(at: dir.appendingPathComponent(".wfc.yaml"))
        let secret = try CLI.tempDir(["secret.yaml": "password: hunter2\n"])
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(".wfc.yaml").path, withDestinationPath: secret.appendingPathComponent("secret.yaml").path)
        let linked = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(linked.status == 1)
        #expect(linked.stdout.contains("error[WFC0010]: cannot read the configuration: it links outside its folder"), "\(linked.stdout)")
        #expect(!linked.stdout.contains("hunter2") && !linked.stdout.contains("password"))
    }
}

/// The path patterns of `ignore:`: misses are tested as hard as matches.
@Suite struct PathGlobTests {
    @Test(arguments: [
        ("legacy/*.yaml", "legacy/a.yaml", true),
        ("legacy/*.yaml", "legacy/2019/a.yaml", false),
        ("legacy/**/*.yaml", "legacy/a.yaml", true),
        ("legacy/**/*.yaml", "legacy/2019/q1/a.yaml", true),
        ("legacy/**/*.yaml", "current/legacy/a.yaml", false),
        ("**/draft-*.yaml", "a/b/draft-1.yaml", true),
        ("**/draft-*.yaml", "draft-1.yaml", true),
        ("**/draft-*.yaml", "a/b/final-1.yaml", false),
        ("./a?.yaml", "a1.yaml", true),
        ("a?.yaml", "a/.yaml", false),
        ("drafts/[a-c]*.yaml", "drafts/b1.yaml", true),
        ("drafts/[a-c]*.yaml", "drafts/d1.yaml", false),
        ("drafts/[!a-c]*.yaml", "drafts/d1.yaml", true),
        ("drafts/[!a-c]*.yaml", "drafts/a1.yaml", false),
        ("交接/*.yaml", "交接/离职.yaml", true),
        ("a.yaml", "a.yml", false),
    ])
    func matches(_ pattern: String, _ path: String, _ expected: Bool) throws {
        let glob = try #require(PathGlob(pattern))
        #expect(glob.matches(path) == expected)
    }

    @Test(arguments: ["", "/etc/*.yaml", "../x/*.yaml", "a/../../b", "a/[bc.yaml"])
    func invalidPatternsAreRefused(_ pattern: String) {
        #expect(PathGlob(pattern) == nil)
        #expect(PathGlob.problem(pattern) != nil)
    }
}
