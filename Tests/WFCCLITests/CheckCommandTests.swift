import Foundation
import Testing
import WFCDiagnostics
import WFCDriver

@Suite struct CheckCommandTests {
    static let valid = """
        workflow: demo
        version: 1
        title: 演示
        roles: {handover: {title: 交接人}}
        start: apply
        states:
          apply: {on: {submit: {by: handover, to: done}}}
          done: {final: completed}

        """
    static let duplicate = "workflow: demo\ntitle: 甲\ntitle: 乙\n" + valid.split(separator: "\n").dropFirst(3).joined(separator: "\n") + "\nversion: 1\n"

    @Test func cleanExitsZero() throws {
        let dir = try CLI.tempDir(["a.yaml": Self.valid, "sub/b.yml": Self.valid, "notes.txt": "x"])
        let r = try CLI.run(["check", "."], cwd: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "checked 2 files: 0 errors, 0 warnings\n")
    }

    @Test func errorsExitOneAndAreSortedByFileThenPosition() throws {
        let dir = try CLI.tempDir(["b.yaml": Self.duplicate, "a.yaml": Self.valid.replacingOccurrences(of: "version: 1", with: "version: 1\nversion: 2\nsource: *nope"), "ok.yaml": Self.valid])
        let r = try CLI.run(["check", ".", "--format", "json"], cwd: dir)
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(objects.map { $0["file"] as? String ?? "" } == ["a.yaml", "a.yaml", "a.yaml", "b.yaml"])
        // The unknown alias leaves `source` empty, which the compiler reports too.
        #expect(objects.map { $0["code"] as? String ?? "" } == ["WFC1003", "WFC1004", "WFC2002", "WFC1003"])
        let start = objects[3]["start"] as? [String: Int]
        #expect(start == ["offset": 26, "line": 3, "column": 1])
        #expect(objects.allSatisfy { $0["severity"] as? String == "error" })
        // Same input, same bytes out: parallel checking does not change the order.
        let again = try CLI.run(["check", ".", "--format", "json"], cwd: dir)
        #expect(again.stdout == r.stdout)
    }

    @Test func warningsFailOnlyUnderStrict() throws {
        let text = Self.valid.replacingOccurrences(of: "roles: {handover: {title: 交接人}}", with: "roles: {handover: {title: 交接人}, witness: {title: 监交人}}")
        let lax = try CLI.run(["check", "-"], stdin: text)
        #expect(lax.status == 0)
        #expect(lax.stdout.contains("warning[WFC5010]: role `witness` is declared but never used"))
        let strict = try CLI.run(["check", "--strict", "-"], stdin: text)
        #expect(strict.status == 1)
    }

    /// Traceability is a strict-only check: plain `wfc check` stays quiet on an untraced
    /// state; `--strict` reports it (WFC5040) and fails; a clause or an assumption clears it.
    @Test func untracedStatesAreReportedOnlyUnderStrict() throws {
        let traced = Self.valid.replacingOccurrences(of: "apply: {on:", with: "apply: {assumption: 原文未规定申请步骤, on:")
        let dir = try CLI.tempDir(["a.yaml": Self.valid, "b.yaml": traced])
        let plain = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(plain.status == 0 && plain.stdout.isEmpty, "\(plain.stdout)")
        let strict = try CLI.run(["check", "--strict", "a.yaml", "--format", "json"], cwd: dir)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("\"code\":\"WFC5040\""), "\(strict.stdout)")
        #expect(strict.stdout.contains("state `apply` cites no clause"))
        let clean = try CLI.run(["check", "--strict", "b.yaml"], cwd: dir)
        #expect(clean.status == 0, "\(clean.stdout)")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["check", "does-not-exist"]).status == 2)
        #expect(try CLI.run(["check"]).status == 2)
        #expect(try CLI.run(["check", ".", "--format", "xml"]).status == 2)
        #expect(try CLI.run(["frobnicate"]).status == 2)
        let empty = try CLI.tempDir(["readme.txt": "x"])
        let r = try CLI.run(["check", "."], cwd: empty)
        #expect(r.status == 2)
        #expect(r.stderr.contains("no .yaml or .yml files"))
    }

    @Test func stdinIsReadForDash() throws {
        let r = try CLI.run(["check", "-"], stdin: Self.duplicate)
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("<stdin>:3:1: error[WFC1003]: duplicate key \"title\" in this mapping\n"))
    }

    @Test func limitsCanBeOverridden() throws {
        let r = try CLI.run(["check", "-", "--max-file-bytes", "10"], stdin: Self.valid)
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC1008]"))
        let deep = try CLI.run(["check", "-", "--max-depth", "2"], stdin: "a: [[[1]]]\n")
        #expect(deep.stdout.contains("error[WFC1007]: nesting is deeper than 2 levels"))
    }

    @Test func colourFollowsTheFlagAndNoColor() throws {
        let always = try CLI.run(["check", "-", "--color", "always"], stdin: Self.duplicate)
        #expect(always.stdout.contains("\u{1B}["))
        let auto = try CLI.run(["check", "-"], stdin: Self.duplicate)
        #expect(!auto.stdout.contains("\u{1B}["), "a pipe is not a terminal")
        #expect(DiagnosticOutput.shouldColor("auto", isTerminal: true, environment: ["NO_COLOR": "1"]) == false)
        #expect(DiagnosticOutput.shouldColor("auto", isTerminal: true, environment: [:]) == true)
    }

    @Test func githubAnnotations() throws {
        let r = try CLI.run(["check", "-", "--format", "github"], stdin: Self.duplicate)
        #expect(r.stdout.hasPrefix("::error file=<stdin>,line=3,col=1,endLine=3,endColumn=5,title=WFC1003%3A duplicate key \"title\" in this mapping::"))
    }

    @Test func sarifIsWellFormedForCodeScanning() throws {
        let dir = try CLI.tempDir(["policies/交接.yaml": Self.duplicate])
        let r = try CLI.run(["check", "policies", "--format", "sarif"], cwd: dir)
        #expect(r.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.count == WFCRegistry.shared.all.count)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "WFC1003")
        let index = try #require(result["ruleIndex"] as? Int)
        #expect(rules[index]["id"] as? String == "WFC1003")
        let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let artifact = try #require(location["artifactLocation"] as? [String: Any])
        #expect(artifact["uri"] as? String == "policies/%E4%BA%A4%E6%8E%A5.yaml")
        #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
        let region = try #require(location["region"] as? [String: Int])
        #expect(region["startLine"] == 3)
        #expect(region["startColumn"] == 1)
        #expect(region["endColumn"] == 6)
        #expect((result["partialFingerprints"] as? [String: String])?["wfc/v1"]?.count == 16)
        #expect((result["relatedLocations"] as? [[String: Any]])?.count == 1)
    }

    @Test func unreadableFileIsAnIOFailure() {
        let report = CheckRunner().check(paths: ["/nonexistent-dir/x.yaml"])
        #expect(report.diagnostics.map(\.code) == ["WFC0001"])
        #expect(report.exitStatus(strict: false) == .failure)
    }
}

@Suite struct ExplainCommandTests {
    @Test func explainsACode() throws {
        let r = try CLI.run(["explain", "wfc1003"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("WFC1003 (duplicate-key, error): A mapping has the same key twice.\n"))
        #expect(r.stdout.contains("Example:"))
        #expect(r.stdout.contains("Fix:"))
    }

    @Test func unknownCodeIsAUsageError() throws {
        let r = try CLI.run(["explain", "WFC9999"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown diagnostic code"))
    }

    @Test func docsListEveryCode() throws {
        let doc = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        #expect(doc == DiagnosticsDoc.markdown(), "docs/diagnostics.md is stale: run `swift run wfc explain --markdown > docs/diagnostics.md`")
        for d in WFCRegistry.shared.all {
            #expect(doc.contains("### \(d.code) "), "\(d.code) missing from docs/diagnostics.md")
        }
    }

    @Test func helpDocumentsExitCodes() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("EXIT CODES"))
        #expect(r.stdout.contains("3  internal or I/O failure"))
    }
}
