import Foundation
import Testing
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCStore

/// `now` and `today` in expressions, end to end: compiled from YAML, run by the engine at the
/// step's time, and replayed by `verify` at the recorded times.
@Suite struct NowTodayTests {
    /// A workflow whose submission must come at least 30 days before `last_day` (counted from
    /// `today`), and whose review is due three working days after the submission's date.
    static func policy(calendar: String? = "cn-mainland", due: String = "add_working_days(today, 3)") -> String {
        """
        workflow: notice
        version: 1
        title: 离职申请
        \(calendar.map { "calendar: \($0)" } ?? "")
        roles:
          leaver: {title: 离职员工}
          manager: {title: 直属领导}
        separate: [[leaver, manager]]
        case:
          last_day: date
          applied_on: {type: date, optional: true}
          applied_at: {type: datetime, optional: true}
        start: apply
        states:
          apply:
            on:
              submit:
                by: leaver
                to: review
                when: "days_between(today, case.last_day) >= 30"
                set: {applied_on: today, applied_at: now}
              withdraw: {by: leaver, to: done}
          review:
            due: {by: "\(due)", overdue: {escalate: manager}}
            on:
              approve: {by: manager, to: done}
          done: {final: completed}

        """
    }

    static func definition(_ text: String) throws -> Definition {
        var compiler = WorkflowCompiler()
        compiler.seal = false
        let result = compiler.compile(SourceFile(path: "notice.yaml", text: text))
        let ir = try #require(result.ir, "\(result.diagnostics.map(\.message))")
        return try Definition(ir)
    }

    static func instant(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    static let people = ["leaver": "zhang.san", "manager": "wang.wu"]

    func started(_ def: Definition, lastDay: String, at time: String = "2025-09-01T09:00:00+08:00") throws -> CaseSnapshot {
        guard case .accepted(let step) = Engine.start(def, caseID: "C1", data: ["last_day": .string(lastDay)], people: Self.people, now: Self.instant(time)) else {
            throw Failure(description: "start refused")
        }
        return step.snapshot
    }

    func submit(_ def: Definition, _ snap: CaseSnapshot, at time: String) -> StepResult {
        Engine.fire(def, snap, Event("submit", actor: "zhang.san"), now: Self.instant(time))
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// 2025-09-30T15:59:59Z is 23:59:59 on 09-30 in Beijing; one second later it is 10-01 there
    /// (and still 09-30 in UTC). 30 days before 10-30 is 09-30.
    @Test func aGuardWithTodayFlipsAtMidnightInShanghai() async throws {
        let def = try Self.definition(Self.policy())
        let snap = try started(def, lastDay: "2025-10-30")
        guard case .accepted(let before) = submit(def, snap, at: "2025-09-30T15:59:59Z") else {
            Issue.record("refused at 23:59:59 Beijing time")
            return
        }
        #expect(before.snapshot.data["applied_on"] == .string("2025-09-30"))
        #expect(before.snapshot.data["applied_at"] == .string("2025-09-30T15:59:59Z"))
        guard case .refused(let after) = submit(def, snap, at: "2025-09-30T16:00:00Z") else {
            Issue.record("accepted at 00:00 Beijing time on 10-01")
            return
        }
        #expect(after.kind == .guardFalse)
    }

    /// Without a calendar `today` is the UTC date, as the runtime's ends of days are.
    @Test func withoutACalendarTodayIsTheUTCDate() async throws {
        let def = try Self.definition(Self.policy(calendar: nil, due: "add_days(today, 3)"))
        let snap = try started(def, lastDay: "2025-10-30")
        guard case .accepted = submit(def, snap, at: "2025-09-30T23:59:59Z") else {
            Issue.record("refused at 23:59:59 UTC")
            return
        }
        guard case .refused(let r) = submit(def, snap, at: "2025-10-01T00:00:00Z") else {
            Issue.record("accepted on 10-01 UTC")
            return
        }
        #expect(r.kind == .guardFalse)
    }

    /// `due.by: add_working_days(today, 3)` counts from the local date of the event that enters
    /// the state. Thursday 09-25 (Beijing): 09-26, Sunday 09-28 (make-up day), 09-29 → due at
    /// the end of 09-29. One second later it is Friday 09-26: 09-28, 09-29, 09-30.
    @Test func aDeadlineByTodayCountsFromTheEntryEvent() async throws {
        let def = try Self.definition(Self.policy())
        let snap = try started(def, lastDay: "2025-12-31")
        func due(_ time: String) throws -> Timestamp? {
            guard case .accepted(let step) = submit(def, snap, at: time) else { throw Failure(description: "refused at \(time)") }
            return step.snapshot.root.active?.timer?.due
        }
        #expect(try due("2025-09-25T15:59:59Z") == Timestamp(Self.instant("2025-09-30T00:00:00+08:00")))
        #expect(try due("2025-09-25T16:00:00Z") == Timestamp(Self.instant("2025-10-01T00:00:00+08:00")))
    }

    /// `verify` replays each event at its recorded time: a guard on `today` that held then (and
    /// no longer holds by the wall clock) replays to the same outcome, and so do a refusal at
    /// local midnight and the deadline computed from `today`.
    @Test func replayIsDeterministic() async throws {
        let def = try Self.definition(Self.policy())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-now-today-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Ledger(sqlitePath: dir.appendingPathComponent("store.sqlite").path)
        for id in ["early", "late"] {
            guard case .started = try await store.start(def, caseID: id, data: ["last_day": .string("2025-10-30")], people: Self.people, actor: nil,
                                                  now: Self.instant("2025-09-30T09:00:00+08:00")) else {
                Issue.record("start of \(id) refused")
                return
            }
        }
        guard case .accepted(let step, _) = try await store.fire("early", Event("submit", actor: "zhang.san"), now: Self.instant("2025-09-30T15:59:59Z")) else {
            Issue.record("early submission refused")
            return
        }
        #expect(step.snapshot.root.active?.timer?.due == Timestamp(Self.instant("2025-10-12T00:00:00+08:00")),
                "09-30 + 3 working days after National Day: 10-09, 10-10, Saturday 10-11 (make-up day)")
        guard case .refused(let r, _) = try await store.fire("late", Event("submit", actor: "zhang.san"), now: Self.instant("2025-09-30T16:00:00Z")) else {
            Issue.record("late submission accepted")
            return
        }
        #expect(r.kind == .guardFalse)
        for id in ["early", "late"] {
            let report = try await store.verify(id)
            #expect(report.ok, "\(id): \(report.problems)")
            #expect(report.firstDivergentSeq == nil)
        }
    }
}
