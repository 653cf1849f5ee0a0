import Foundation
import Testing
import TestSupport
import WFCCompiler
import WFCDiagnostics
import WFCDiff
import WFCIR
import WFCLedger
import WFCMigration
import WFCRuntime

/// Changes of #17's keys that a migration plan must answer: a role assigned during the case
/// that is now bound at start (人员变动: the 交接专人), and a changed reminder schedule (催办).
@Suite struct PeopleAndNoticeMigrationTests {
    static let people = ["employee": "zhang.san", "receiver": "li.si", "supervisor": "wang.wu", "dept_head": "zhao.liu"]
    static let t0 = "2025-10-13T09:00:00+08:00"

    /// The handler, named by the department head in `assign`, is bound at start in the new version.
    static func handlerAtStart() throws -> (Definition, Definition) {
        let old = try Policy("personnel-change")
        let new = old.edited([
            ("        # 安排专人负责交接事宜: the department head names the handler here, not at the start.\n        assign: [handler]\n", ""),
            ("version: 1", "version: 2"),
        ])
        return (try old.compiled(), try new.compiled())
    }

    @Test func aRoleNowBoundAtStartIsUnsafeAndThePlanIsWarned() async throws {
        let (v1, v2) = try Self.handlerAtStart()
        let changes = PolicyDiff(old: v1.ir, new: v2.ir).changes()
        let handler = try #require(changes.first { $0.code == DiffDiagnostics.roleChanged.code })
        #expect(handler.impact == .unsafe)
        #expect(handler.message == "role `handler` is now bound at start")
        #expect(handler.before == "assigned by assign.assigned" && handler.after == "bound at start")
        // The plan is accepted with a warning (checked per case); naming a person silences it.
        _ = try plan("from: a\nto: b\n", v1, v2, warnings: ["WFC8138"])
        _ = try plan("from: a\nto: b\npeople:\n  handler: qian.qi\n", v1, v2)
        let warning = try #require(MigrationPlanCompiler().compile(SourceFile(path: "p.migrate.yaml", text: "from: a\nto: b\n"), old: v1.ir, new: v2.ir).diagnostics.first)
        #expect(warning.severity == .warning && warning.message.contains("`handler` is now bound at start"))
        #expect(DiagnosticLocalizer.uncovered(warning, in: .zhCN) == [], "the warning reads in Chinese")

        // A case before the assignment has nobody in `handler`: refused, as the warning says. A
        // case past it keeps the person the department head named.
        let l = try ledger()
        let p = try plan("from: a\nto: b\n", v1, v2, warnings: ["WFC8138"])
        for id in ["A1", "A2"] {
            guard case .started = try await l.start(v1, caseID: id, data: [:], people: Self.people, actor: nil, now: at(Self.t0)) else {
                throw Failure("start refused")
            }
            try await fire(l, id, Event("agreed", actor: "wang.wu", payload: ["change": .string("transfer"), "change_date": .string("2025-11-03")]),
                           "2025-10-13T10:00:00+08:00")
            try await fire(l, id, Event("apply", actor: "zhang.san"), "2025-10-13T11:00:00+08:00")
        }
        try await fire(l, "A2", Event("assigned", actor: "zhao.liu", payload: ["schedule": .string("2025-10-27")], assign: ["handler": "qian.qi"]),
                       "2025-10-14T09:00:00+08:00")
        guard case .refused(let r) = try await l.migrate("A1", plan: p, to: v2, actor: nil, now: at("2025-10-15T09:00:00+08:00")) else {
            Issue.record("a case with nobody in `handler` must be refused")
            return
        }
        #expect(r.kind == .unboundRole && r.message.contains("handler"))
        let moved = try migrated(try await l.migrate("A2", plan: p, to: v2, actor: nil, now: at("2025-10-15T09:00:00+08:00")))
        #expect(moved.snapshot.people["handler"] == "qian.qi")
        try await expectVerified(l, "A2")
    }

    /// The golden pair of `wfc diff`: `witness` is now bound at start, `clerk` is assigned by
    /// another event (`handler`, now assigned, needs nothing). Each unsafe change is a warning.
    @Test func rolesAssignedByOtherEventsAreWarned() throws {
        func compiled(_ name: String) throws -> Definition {
            let url = PackagePaths.root.appendingPathComponent("Tests/GoldenTests/diff/assigned-roles/\(name)")
            return try Self.compiled(try String(contentsOf: url, encoding: .utf8))
        }
        let v1 = try compiled("old.yaml"), v2 = try compiled("new.yaml")
        let d = MigrationPlanCompiler().compile(SourceFile(path: "p.migrate.yaml", text: "from: a\nto: b\n"), old: v1.ir, new: v2.ir).diagnostics
        #expect(d.map(\.code.rawValue) == ["WFC8138", "WFC8138"])
        #expect(d.allSatisfy { $0.severity == .warning })
        #expect(d.map(\.message) == [
            "role `witness` is now bound at start, but running cases that have not reached the event that assigned it have nobody in it",
            "role `clerk` is no longer assigned by assign.assigned: a running case not yet given it may be past every event that still assigns it",
        ])
        for w in d { #expect(DiagnosticLocalizer.uncovered(w, in: .zhCN) == [], "\(w.message) reads in Chinese") }
        _ = try plan("from: a\nto: b\npeople:\n  witness: qian.qi\n  clerk: sun.ba\n", v1, v2)
    }

    static func reminders(_ schedule: String) -> String {
        """
        workflow: remind-migrate
        version: 1
        title: 催办
        calendar: cn-mainland
        roles:
          leaver: {title: 离职人}
        start: plan
        states:
          plan:
            title: 制定计划
            remind: \(schedule)
            on:
              planned: {by: leaver, to: done}
          done: {final: completed}
        """
    }

    static func compiled(_ text: String) throws -> Definition {
        let r = WorkflowCompiler().compile(SourceFile(path: "remind-migrate.yaml", text: text))
        return try Definition(try #require(r.ir, "\(r.diagnostics.map(\.message))"))
    }

    /// A changed schedule needs `deadlines:`; `keep` keeps the count and next due time a case
    /// has, `recompute` gives what a case of the new version entered at the same time has.
    @Test func aChangedReminderScheduleIsAnsweredByDeadlines() async throws {
        let v1 = try Self.compiled(Self.reminders("{after: 2 working days, every: 1 working day, assumption: 每个工作日催办}"))
        let v2 = try Self.compiled(Self.reminders("{after: 1 working day, every: 3 working days, assumption: 每三个工作日催办}"))
        let change = try #require(PolicyDiff(old: v1.ir, new: v2.ir).changes().first { $0.code == DiffDiagnostics.noticeChanged.code })
        #expect(change.impact == .needsMapping)
        let unstated = MigrationPlanCompiler().compile(SourceFile(path: "plan.migrate.yaml", text: "from: a\nto: b\n"), old: v1.ir, new: v2.ir)
        #expect(unstated.diagnostics.map(\.code.rawValue) == ["WFC8140"])
        #expect(unstated.plan == nil)
        let keep = try plan("from: a\nto: b\ndeadlines: keep\n", v1, v2)
        let recompute = try plan("from: a\nto: b\ndeadlines: recompute\n", v1, v2)

        let l = try ledger()
        let tick = at("2025-10-23T09:00:00+08:00")
        for (id, def) in [("K", v1), ("R", v1), ("N", v2)] {
            guard case .started = try await l.start(def, caseID: id, data: [:], people: ["leaver": "zhang.san"], actor: nil, now: at("2025-10-20T09:00:00+08:00")) else {
                throw Failure("start refused")
            }
            _ = try await l.tick(id, now: tick)
        }
        let before = try #require(try await l.load("K").snapshot.root.active?.reminder)
        #expect(before.sent == 1)
        let kept = try migrated(try await l.migrate("K", plan: keep, to: v2, actor: nil, now: tick))
        #expect(kept.snapshot.root.active?.reminder == before)
        let fresh = try #require(try await l.load("N").snapshot.root.active?.reminder)
        let recomputed = try migrated(try await l.migrate("R", plan: recompute, to: v2, actor: nil, now: tick))
        #expect(recomputed.snapshot.root.active?.reminder == fresh)
        #expect(fresh != before)
        try await expectVerified(l, "K")
        try await expectVerified(l, "R")
    }
}
