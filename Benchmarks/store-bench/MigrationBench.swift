// `store-bench migrate [CASES] [FIRES]`: migrations per second against plain `fire` steps, on one
// SQLite store (issue #18: migrate 100,000 cases, dry run and for real; goal ≥ 0.5× the rate of
// plain fire steps).
//
// workflows/company-handover.yaml is version 1; version 2 renames `application_review` to
// `manager_approval`, and the plan maps one to the other. CASES cases are started and submitted
// (they rest in `application_review`), plus FIRES more. Then, one call at a time through the
// same Ledger, in ten rounds: a tenth of the FIRES `approve` events on the extra cases (one
// durable step each), a dry run of a tenth of the CASES cases, and their real migration (one
// durable step each). The figure is the median of the rounds' ratios.
import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCLedger
import WFCMigration
import WFCRuntime
import WFCStore

enum MigrationBench {
    static let t0 = Date(timeIntervalSince1970: 1_758_852_000)
    static let people = ["handover": "zhang.san", "receiver": "li.si", "manager": "wang.wu", "hr": "zhao.liu"]

    static func compile(_ text: String, path: String) throws -> Definition {
        let r = WorkflowCompiler().compile(SourceFile(path: path, text: text))
        guard let ir = r.ir else { throw Failure(message: "\(path) does not compile: \(r.diagnostics.map(\.message))") }
        return try Definition(ir)
    }

    /// Starts and submits `id`: it rests in `application_review`.
    static func startSubmitted(_ store: Ledger, _ def: Definition, _ id: String) async throws {
        let data: [String: ValueIR] = ["reason": .string("resignation"), "last_day": .string("2025-10-31")]
        guard case .started = try await store.start(def, caseID: id, data: data, people: people, actor: nil, now: t0) else {
            throw Failure(message: "start of \(id) refused")
        }
        guard case .accepted = try await store.fire(id, Event("submit", actor: "zhang.san", payload: ["application": .string("申请离职交接")]), now: t0) else {
            throw Failure(message: "submit of \(id) refused")
        }
    }

    static func fireRate(_ store: Ledger, ids: [String], event: String, actor: String) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for id in ids {
            guard case .accepted = try await store.fire(id, Event(event, actor: actor), now: t0.addingTimeInterval(60)) else {
                throw Failure(message: "\(event) of \(id) refused")
            }
        }
        return Double(ids.count) / seconds(clock.now - start)
    }

    static func run(cases: Int, fires: Int) async throws {
        let text = try String(contentsOfFile: "workflows/company-handover.yaml", encoding: .utf8)
        let renamed = text.replacingOccurrences(of: "application_review", with: "manager_approval")
        let v1 = try compile(text, path: "company-handover.yaml")
        let v2 = try compile(renamed, path: "company-handover.yaml")
        let planText = "from: a.yaml\nto: b.yaml\nstates:\n  application_review: manager_approval\n"
        let compiled = MigrationPlanCompiler().compile(SourceFile(path: "plan.migrate.yaml", text: planText), old: v1.ir, new: v2.ir)
        guard let plan = compiled.plan else { throw Failure(message: "the plan has errors: \(compiled.diagnostics.map(\.message))") }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Ledger(sqlitePath: dir.appendingPathComponent("store.sqlite").path, durability: .full)
        _ = try await store.deploy(v1, now: t0)
        _ = try await store.deploy(v2, now: t0)
        let clock = ContinuousClock()
        say("store-bench migrate: \(cases) cases to migrate, \(fires) plain fire steps, company-handover v1 → v2 (a state renamed), SQLite synchronous=FULL, one call at a time")

        // Set-up: 16 tasks at once (group commit), not measured.
        var start = clock.now
        let migrating = (0..<cases).map { String(format: "M%06d", $0) }
        let firing = (0..<fires).map { String(format: "F%06d", $0) }
        let all = migrating + firing
        try await withThrowingTaskGroup(of: Void.self) { group in
            let lanes = 16
            for lane in 0..<lanes {
                group.addTask {
                    var i = lane
                    while i < all.count {
                        try await startSubmitted(store, v1, all[i])
                        i += lanes
                    }
                }
            }
            try await group.waitForAll()
        }
        say(String(format: "set-up: %d cases started and submitted in %.1f s", all.count, seconds(clock.now - start)))

        // Ten rounds, each firing, dry-running and migrating a tenth: slow swings of this shared
        // machine (and of the disk's fsync) hit all three alike; the median of the per-round
        // ratios is the figure.
        let rounds = 10
        var fireRates: [Double] = [], dryRates: [Double] = [], realRates: [Double] = []
        var ratios: [Double] = [], dryRatios: [Double] = []
        func chunk<T>(_ xs: [T], _ r: Int) -> ArraySlice<T> { xs[(xs.count * r / rounds)..<(xs.count * (r + 1) / rounds)] }
        for r in 0..<rounds {
            let fire = try await fireRate(store, ids: Array(chunk(firing, r)), event: "approve", actor: "wang.wu")
            let part = chunk(migrating, r)
            start = clock.now
            for id in part {
                guard case .wouldMigrate = try await store.migrate(id, plan: plan, to: v2, actor: "hr.admin", now: t0.addingTimeInterval(120), dryRun: true) else {
                    throw Failure(message: "the dry run would not migrate \(id)")
                }
            }
            let dry = Double(part.count) / seconds(clock.now - start)
            start = clock.now
            for id in part {
                guard case .migrated = try await store.migrate(id, plan: plan, to: v2, actor: "hr.admin", now: t0.addingTimeInterval(120)) else {
                    throw Failure(message: "\(id) was not migrated")
                }
            }
            let real = Double(part.count) / seconds(clock.now - start)
            fireRates.append(fire); dryRates.append(dry); realRates.append(real)
            ratios.append(real / fire); dryRatios.append(dry / fire)
            say(String(format: "round %d: fire %.0f steps/s, migrate --dry-run %.0f cases/s, migrate %.0f cases/s, ratio %.2f", r + 1, fire, dry, real, real / fire))
        }

        // The migrated cases are on v2, in the renamed state, and replay.
        let sample = try await store.load(migrating[cases / 2])
        guard sample.definition.hash == v2.hash else { throw Failure(message: "a migrated case is not on v2") }
        var verified = 0
        for id in migrating.prefix(100) where try await store.verify(id).ok { verified += 1 }
        guard verified == min(100, cases) else { throw Failure(message: "only \(verified) of 100 migrated cases verify") }

        say(String(format: "medians of %d rounds: fire %.0f steps/s, migrate --dry-run %.0f cases/s, migrate %.0f cases/s; ratio migrate / fire %.2f (dry run %.2f); goal ≥ 0.5",
                   rounds, median(fireRates), median(dryRates), median(realRates), median(ratios), median(dryRatios)))
    }

    /// Unbuffered: the figures must show up while a long run goes on, even into a file.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
