import Foundation
import Testing
import TestSupport

/// `wfc check` on migration plans and `wfc case migrate`, through the built binary.
@Suite struct MigrationCLITests {
    let dir: URL

    init() throws {
        let golden = PackagePaths.root.appendingPathComponent("Tests/GoldenTests/migrate")
        let old = try String(contentsOf: golden.appendingPathComponent("base/old.yaml"), encoding: .utf8)
        let new = try String(contentsOf: golden.appendingPathComponent("ok/new.yaml"), encoding: .utf8)
        let plan = try String(contentsOf: golden.appendingPathComponent("ok/plan.migrate.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "from: old.yaml", with: "from: old/demo.yaml").replacingOccurrences(of: "to: new.yaml", with: "to: demo.yaml")
        dir = try CLI.tempDir([
            "old/demo.yaml": old,
            "demo.yaml": new,
            "demo.migrate.yaml": plan,
            "broken.migrate.yaml": "from: old/missing.yaml\nto: ../../outside.yaml\n",
            "case.yaml": "people: {leaver: zhang.san, receiver: li.si, manager: wang.wu}\ndata: {reason: transfer}\n",
            "items.yaml": "items:\n  - {name: 钥匙}\n",
        ])
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
    }

    func wfc(_ args: [String]) throws -> CLIResult {
        try CLI.run(args, cwd: dir, env: ["WFC_STORE": dir.appendingPathComponent("s/store.sqlite").path])
    }

    @Test func checkProvesPlansAndReportsUnusableVersions() throws {
        let good = try wfc(["check", "demo.migrate.yaml"])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let bad = try wfc(["check", "broken.migrate.yaml"])
        #expect(bad.status == 1)
        #expect(bad.stdout.components(separatedBy: "[WFC8131]").count == 3, "\(bad.stdout)")
        #expect(bad.stdout.contains("broken.migrate.yaml:1:7"), "\(bad.stdout)")
    }

    @Test func aCaseIsMigratedAsOneStepAndVerifies() throws {
        #expect(try wfc(["case", "start", "old/demo.yaml", "--data", "case.yaml", "--id", "C1", "--now", "2025-09-26T10:00:00+08:00"]).status == 0)
        let submit = try wfc(["case", "fire", "C1", "submit", "--as", "zhang.san", "--data", "items.yaml", "--now", "2025-09-26T11:00:00+08:00"])
        #expect(submit.status == 0, "\(submit.stderr)")

        let dry = try wfc(["case", "migrate", "C1", "--plan", "demo.migrate.yaml", "--dry-run", "--now", "2025-09-27T09:00:00+08:00"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("C1  would-migrate  active: approval"), "\(dry.stdout)")
        #expect(dry.stdout.contains("1 would migrate, 0 refused"))
        #expect(try wfc(["case", "history", "C1"]).stdout.contains("migrate") == false)

        let wrongTo = try wfc(["case", "migrate", "C1", "--plan", "demo.migrate.yaml", "--to", "sha256:0000"])
        #expect(wrongTo.status == 2, "\(wrongTo.stderr)")

        let real = try wfc(["case", "migrate", "C1", "--plan", "demo.migrate.yaml", "--as", "hr.admin", "--now", "2025-09-27T09:00:00+08:00",
                            "--format", "json"])
        #expect(real.status == 0, "\(real.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(real.stdout.utf8)) as? [String: Any]
        let cases = json?["cases"] as? [[String: Any]]
        #expect(cases?.first?["outcome"] as? String == "migrated")
        #expect(cases?.first?["seq"] as? Int == 3)
        #expect((json?["planHash"] as? String)?.hasPrefix("sha256:") == true)

        #expect(try wfc(["case", "history", "C1"]).stdout.contains("migrate to sha256:"))
        // Later steps run on the new version, and verify replays across the migration.
        let approve = try wfc(["case", "fire", "C1", "approve", "--as", "wang.wu", "--now", "2025-09-28T09:00:00+08:00"])
        #expect(approve.status == 0, "\(approve.stderr)")
        let verify = try wfc(["case", "verify", "C1"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // Migrated once: the same plan again is refused and the case is listed.
        let again = try wfc(["case", "migrate", "C1", "--plan", "demo.migrate.yaml", "--now", "2025-09-28T10:00:00+08:00"])
        #expect(again.status == 1)
        #expect(again.stdout.contains("C1  refused  WFC6006"), "\(again.stdout)")
    }

    @Test func thePlanMayBeGivenAsOptionsAndIsTheSamePlan() throws {
        #expect(try wfc(["case", "start", "old/demo.yaml", "--data", "case.yaml", "--id", "I1", "--now", "2025-09-26T10:00:00+08:00"]).status == 0)
        #expect(try wfc(["case", "fire", "I1", "submit", "--as", "zhang.san", "--data", "items.yaml", "--now", "2025-09-26T11:00:00+08:00"]).status == 0)
        let inline = ["--old", "old/demo.yaml", "--new", "demo.yaml", "--state", "review=approval", "--value", "witness_needed=case.reason == 'transfer'",
                      "--person", "witness=hr.zhao", "--deadlines", "recompute", "--signatures", "keep"]
        let fromFile = try wfc(["case", "migrate", "I1", "--plan", "demo.migrate.yaml", "--dry-run", "--format", "json", "--now", "2025-09-27T09:00:00+08:00"])
        let fromOptions = try wfc(["case", "migrate", "I1", "--dry-run", "--format", "json", "--now", "2025-09-27T09:00:00+08:00"] + inline)
        #expect(fromOptions.status == 0, "\(fromOptions.stderr)")
        // The same cases and outcomes (the plan's hash differs: it covers the plan's file and spans).
        func cases(_ r: CLIResult) -> String? {
            guard let o = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], let c = o["cases"] else { return nil }
            return (try? JSONSerialization.data(withJSONObject: c, options: .sortedKeys)).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(cases(fromOptions)?.contains("would-migrate") == true)
        #expect(cases(fromOptions) == cases(fromFile))
        let real = try wfc(["case", "migrate", "I1", "--now", "2025-09-27T09:00:00+08:00"] + inline)
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stdout.contains("I1  migrated"), "\(real.stdout)")
        #expect(try wfc(["case", "verify", "I1"]).status == 0)
    }

    @Test func aBadInlinePlanIsAUsageErrorOrADiagnosticOnItsText() throws {
        let both = try wfc(["case", "migrate", "X", "--plan", "demo.migrate.yaml", "--old", "old/demo.yaml", "--new", "demo.yaml"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("not both"), "\(both.stderr)")
        let half = try wfc(["case", "migrate", "X", "--old", "old/demo.yaml"])
        #expect(half.status == 2)
        let noEquals = try wfc(["case", "migrate", "X", "--old", "old/demo.yaml", "--new", "demo.yaml", "--state", "review"])
        #expect(noEquals.status == 2)
        #expect(noEquals.stderr.contains("--state review: write NAME=VALUE"), "\(noEquals.stderr)")
        // A state the new version lacks: the plan's own diagnostic, shown on the written-out plan.
        let wrong = try wfc(["case", "migrate", "X", "--old", "old/demo.yaml", "--new", "demo.yaml", "--state", "review=nowhere", "--deadlines", "keep",
                             "--value", "witness_needed=true", "--person", "witness=hr.zhao"])
        #expect(wrong.status == 1, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("WFC8133"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("command-line.migrate.yaml:4:"), "\(wrong.stderr)")
    }
}
