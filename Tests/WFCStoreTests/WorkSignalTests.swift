import Foundation
import Testing
import WFCIR
import WFCLedger
import WFCRuntime
import WFCStore

/// Wake-ups of the background workers: ``WorkSignal`` itself, and the ledger signalling the
/// work its commits made.
///
/// A wake-up must come long before the wait's timeout; the bounds are wide (a wait of 600 s must
/// end within 300 s) because a loaded test run can starve the thread pool for many seconds.
@Suite struct WorkSignalTests {
    static func elapsed(_ body: () async -> Void) async -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        await body()
        return clock.now - start
    }

    @Test func aWaitWithoutSignalLastsItsTimeout() async {
        let s = WorkSignal()
        let took = await Self.elapsed { await s.wait(timeout: .milliseconds(200)) }
        #expect(took >= .milliseconds(190))
    }

    @Test func aSignalBeforeTheWaitIsKeptAndCoalesced() async {
        let s = WorkSignal()
        s.signal()
        s.signal()
        let first = await Self.elapsed { await s.wait(timeout: .seconds(600)) }
        #expect(first < .seconds(300))
        // Two signals while nobody waited wake ONE wait.
        let second = await Self.elapsed { await s.wait(timeout: .milliseconds(200)) }
        #expect(second >= .milliseconds(190))
    }

    @Test func aSignalWakesAWaiter() async {
        let s = WorkSignal()
        let took = await Self.elapsed {
            async let waited: Void = s.wait(timeout: .seconds(600))
            try? await Task.sleep(for: .milliseconds(100))
            s.signal()
            await waited
        }
        #expect(took < .seconds(300))
    }

    @Test func aCancelledWaitReturns() async {
        let s = WorkSignal()
        let took = await Self.elapsed {
            let t = Task { await s.wait(timeout: .seconds(600)) }
            try? await Task.sleep(for: .milliseconds(100))
            t.cancel()
            await t.value
        }
        #expect(took < .seconds(300))
    }

    /// A step that opens tasks writes outbox entries: committing it wakes the deliverer; a
    /// refused event writes none and wakes nobody.
    @Test func theLedgerSignalsWhatItsCommitsMade() async throws {
        let ledger = try Ledger(sqlitePath: Paths.tempStore())
        let def = try handover()
        guard case .started = try await ledger.start(def, caseID: "W1", data: [:], people: people, actor: "hr", now: t0) else {
            Issue.record("start refused")
            return
        }
        let afterStart = await Self.elapsed { await ledger.outboxWork.wait(timeout: .seconds(600)) }
        #expect(afterStart < .seconds(300))
        // Refused (the wrong person): nothing for the deliverer.
        _ = try await ledger.fire("W1", Event("submit", actor: "mallory", payload: [:]), now: t0)
        let afterRefusal = await Self.elapsed { await ledger.outboxWork.wait(timeout: .milliseconds(300)) }
        #expect(afterRefusal >= .milliseconds(290))
        let o = try await ledger.fire("W1", Event("submit", actor: "alice", payload: ["reason": .string("resignation"), "last_day": .string("2025-10-31")]), now: t0)
        guard case .accepted = o else {
            Issue.record("submit refused: \(o)")
            return
        }
        let afterSubmit = await Self.elapsed { await ledger.outboxWork.wait(timeout: .seconds(600)) }
        #expect(afterSubmit < .seconds(300))
    }

    /// Which work a step makes: entries for the deliverer; a timer already due at the step's
    /// time for the scheduler (a later or fired one is found by the scheduler's poll).
    @Test func theWorkOfAStep() {
        func step(timers: [TimerRow]?, outbox: Int) -> Append {
            let e = AuditEvent(caseID: "C", seq: 2, kind: .event, name: "x", actor: nil, role: nil, item: nil, payload: "{}", idempotencyKey: nil,
                               time: "2025-10-01T00:00:00Z", outcome: "{}", prevHash: "", hash: "")
            let entries = (0..<outbox).map { i in
                OutboxEntry(id: "C:2:\(i)", caseID: "C", seq: 2, kind: "task", payload: "{}", attempts: 0, createdAt: e.time)
            }
            return Append(caseID: "C", expectedVersion: 1, expectedHeadSeq: 1, event: e, columns: nil, timers: timers, tasks: nil, outbox: entries)
        }
        let due = TimerRow(state: "s", kind: "wait", due: "2025-10-01T00:00:00Z", fired: false)
        let later = TimerRow(state: "s", kind: "deadline", due: "2025-10-02T00:00:00Z", fired: false)
        let fired = TimerRow(state: "s", kind: "deadline", due: "2025-09-30T00:00:00Z", fired: true)
        #expect(step(timers: nil, outbox: 0).work.isEmpty)
        #expect(step(timers: [later, fired], outbox: 0).work.isEmpty)
        #expect(step(timers: [later, due], outbox: 0).work == [.timers])
        #expect(step(timers: nil, outbox: 2).work == [.outbox])
        #expect(step(timers: [due], outbox: 1).work == [.timers, .outbox])
    }
}
