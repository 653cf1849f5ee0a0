import Foundation
import Testing
import WFCIR
import WFCRuntime
import WFCStore

/// 催办, 抄送 and 退回到指定步骤 through the store: the case's `next_due` wakes it for a
/// reminder, every reminder and copy is an outbox entry, and the log replays.
@Suite struct NoticeStoreTests {
    let path = Paths.tempStore()
    let def: Definition
    /// Monday 2025-09-22 09:00 +08:00.
    let monday = Date(timeIntervalSince1970: 1_758_502_800)
    let staff = ["handover": "alice", "manager": "carol", "hr": "dave", "director": "erin"]

    init() throws {
        def = try Definition(irJSON: try Data(contentsOf: Paths.packageRoot.appendingPathComponent("Tests/WFCRuntimeTests/Fixtures/notices.ir.json")))
    }

    @Test func remindersAndCopiesGoToTheOutboxAndTheLogReplays() async throws {
        let store = try Ledger(sqlitePath: path)
        guard case .started = try await store.start(def, caseID: "N1", data: [:], people: staff, actor: nil, now: monday) else { throw Unexpected(description: "start") }
        try accept(await store.fire("N1", Event("submit", actor: "alice"), now: monday))
        // The reminder at the end of Tuesday (one working day after Monday) is the next due time: a tick finds the case.
        let summary = try #require(try await store.list(CaseFilter(), now: monday).cases.first)
        #expect(summary.nextDue == "2025-09-23T16:00:00Z")
        #expect(try await store.tick(now: monday).isEmpty)
        let ticked = try await store.tick(now: monday.addingTimeInterval(172_800))
        #expect(ticked.map(\.caseID) == ["N1"])
        #expect(ticked.first?.step?.effects.contains { if case .reminder(let r) = $0 { r.people == ["alice"] } else { false } } == true)

        try accept(await store.fire("N1", Event("ready", actor: "alice"), now: monday.addingTimeInterval(172_800)))
        let back = try accept(await store.fire("N1", Event("reject", actor: "carol", payload: ["back_to": .string("apply")]), now: monday.addingTimeInterval(176_400)))
        #expect(Show.activeStates(def, back.snapshot) == ["apply"])
        let refused = try await store.fire("N1", Event("submit", actor: "alice", payload: ["back_to": .string("apply")]), now: monday.addingTimeInterval(176_400))
        guard case .refused = refused else { Issue.record("\(refused)"); return }

        let outbox = try await store.claimOutbox(owner: "test", limit: 100, now: monday.addingTimeInterval(180_000), lease: 60)
        let kinds = outbox.map(\.kind)
        #expect(kinds.filter { $0 == "reminder" }.count == 1)
        #expect(kinds.filter { $0 == "copied" }.count == 2)
        let copy = try #require(outbox.first { $0.kind == "copied" })
        #expect(copy.payload.contains("\"on\":\"enter\"") && copy.payload.contains("erin"))
        let report = try await store.verify("N1")
        #expect(report.ok, "\(report.problems)")
        let loaded = try await store.load("N1").snapshot
        #expect(loaded.reminders.count == 1 && loaded.copies.map(\.on) == [.enter, .leave])
    }
}
