import Foundation
import Testing

/// `wfc diff` through the executable: formats, exit codes, standard input, bad input.
@Suite struct DiffCommandTests {
    static let golden = "Tests/GoldenTests/diff"

    @Test func everyRealPolicyComparedWithItselfHasNoChanges() throws {
        let policies = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("workflows").path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".test.yaml") }.sorted()
        #expect(policies.count > 5)
        for p in policies {
            let r = try CLI.run(["diff", "workflows/\(p)", "workflows/\(p)"])
            #expect(r.status == 0, "\(p): \(r.stdout)\(r.stderr)")
            #expect(r.stdout == "no changes to the policy's meaning\n", "\(p)")
        }
    }

    @Test func changesThatAffectCasesExitOne() throws {
        let r = try CLI.run(["diff", "\(Self.golden)/data/old.yaml", "\(Self.golden)/data/new.yaml", "--color", "never"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC8113]: the type of field `reason` changed"))
        #expect(r.stdout.contains("new.yaml:11:3"))
        #expect(r.stdout.hasSuffix("impact on running cases: unsafe\n"))
        // A layout-only change exits 0.
        let same = try CLI.run(["diff", "\(Self.golden)/layout-only/old.yaml", "\(Self.golden)/layout-only/new.yaml"])
        #expect(same.status == 0)
    }

    @Test func jsonAndMarkdownFormats() throws {
        let j = try CLI.run(["diff", "\(Self.golden)/people/old.yaml", "\(Self.golden)/people/new.yaml", "--format", "json"])
        #expect(j.status == 1)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(doc["impact"] as? String == "unsafe")
        let changes = try #require(doc["changes"] as? [[String: Any]])
        #expect(changes.contains { $0["code"] as? String == "WFC8110" && $0["impact"] as? String == "unsafe" })
        #expect((doc["new"] as? [String: Any])?["workflow"] as? String == "diff-people")
        let m = try CLI.run(["diff", "\(Self.golden)/people/old.yaml", "\(Self.golden)/people/new.yaml", "--format", "markdown"])
        #expect(m.stdout.hasPrefix("## Policy change: `diff-people`"))
        #expect(m.stdout.contains("| **unsafe** |"))
        let s = try CLI.run(["diff", "\(Self.golden)/people/old.yaml", "\(Self.golden)/people/new.yaml", "--format", "sarif"])
        #expect(s.stdout.contains("\"ruleId\" : \"WFC8110\"") || s.stdout.contains("\"ruleId\":\"WFC8110\""))
    }

    /// `--lang zh-CN`: the summary line, the Markdown and the JSON messages in Chinese; the
    /// keys, codes and exit status as in English.
    @Test func reportsInChinese() throws {
        let args = ["diff", "\(Self.golden)/people/old.yaml", "\(Self.golden)/people/new.yaml", "--lang", "zh-CN"]
        let h = try CLI.run(args)
        #expect(h.status == 1)
        #expect(h.stdout.hasSuffix("8 处改动（不安全 2，需要映射 2，无 4）；对进行中案件的影响：不安全\n"), "\(h.stdout)")
        let m = try CLI.run(args + ["--format", "markdown"])
        #expect(m.status == 1 && m.stdout.hasPrefix("## 制度变更：`diff-people`"), "\(m.stdout)")
        #expect(m.stdout.contains("| **不安全** |") && m.stdout.contains("| WFC8110 |"))
        let j = try CLI.run(args + ["--format", "json"], env: ["LANG": "en_US.UTF-8"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(doc["impact"] as? String == "unsafe")
        let changes = try #require(doc["changes"] as? [[String: Any]])
        let unsafe = try #require(changes.first { $0["code"] as? String == "WFC8110" })
        #expect(unsafe["impact"] as? String == "unsafe" && (unsafe["message"] as? String)?.contains("必须") == true, "\(unsafe)")
        // The locale chooses without the flag.
        let byLocale = try CLI.run(Array(args.dropLast(2)) + ["--format", "markdown"], env: ["LC_ALL": "zh_CN.UTF-8"])
        #expect(byLocale.stdout == m.stdout)
    }

    @Test func oldVersionFromStandardInput() throws {
        let old = try String(contentsOf: CLI.packageRoot.appendingPathComponent("\(Self.golden)/flow/old.yaml"), encoding: .utf8)
        let r = try CLI.run(["diff", "-", "\(Self.golden)/flow/new.yaml", "--format", "json"], stdin: old)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("\"WFC8102\""))
        let both = try CLI.run(["diff", "-", "-"], stdin: old)
        #expect(both.status == 2)
    }

    @Test func aFileWithErrorsIsReportedNotCompared() throws {
        let dir = try CLI.tempDir(["bad.yaml": "workflow: x\nstates: 3\n"])
        let r = try CLI.run(["diff", dir.appendingPathComponent("bad.yaml").path, "\(Self.golden)/flow/new.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error[") && r.stderr.contains("fix the errors above first"))
        let missing = try CLI.run(["diff", "no-such.yaml", "\(Self.golden)/flow/new.yaml"])
        #expect(missing.status == 2)
    }
}
