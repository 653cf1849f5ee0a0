import Foundation
import Testing
import WFCIR
@testable import WFCRuntime

/// The company handover policy (workflows/company-handover.yaml).
@Suite struct HandoverTests {
    let def: Definition
    let t0 = at("2025-09-26T10:00:00+08:00") // a Friday before the National Day holiday

    /// What the application state requires before it is left.
    let application: [String: ValueIR] = ["reason": "resignation", "last_day": "2025-10-31"]

    init() throws { def = try definition("company-handover") }

    func started() throws -> CaseSnapshot {
        try accepted(Engine.start(def, caseID: "C1", data: [:], people: handoverPeople, now: t0))
    }

    /// apply → prepare → review, items filled in prepare.
    func inReview(done: Bool = true) throws -> CaseSnapshot {
        var s = try started()
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice", payload: ["reason": "resignation", "last_day": "2025-10-31"]), now: t0))
        s = try accepted(Engine.fire(def, s, Event("ready", actor: "alice", payload: ["items": .list([item("客户资料", done: done), item("系统账号", kind: "permission", done: done)])]), now: t0))
        return s
    }

    @Test func happyPathWithSignatures() throws {
        var s = try started()
        #expect(s.activeNames == ["apply"])
        #expect(s.version == 1)
        s = try inReview()
        #expect(s.activeNames == ["review"])
        s = try accepted(Engine.fire(def, s, Event("approve", actor: "carol"), now: t0))
        #expect(s.activeNames == ["execute"])
        #expect(Show.pendingSignoffs(def, s).first?.missing == ["handover", "receiver"])
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "alice"), now: t0))
        #expect(s.activeNames == ["execute"])
        #expect(s.root.active?.signoff?.signatures.map(\.person) == ["alice"])
        let step = try #require(Engine.fire(def, s, Event("sign", actor: "bob"), now: t0).step)
        s = step.snapshot
        #expect(s.activeNames == ["supervise"])
        #expect(step.effects.contains(.taskOpened(state: "supervise", item: nil, events: ["confirm", "report_issue"], roles: ["manager"], people: ["carol"])))
        s = try accepted(Engine.fire(def, s, Event("confirm", actor: "carol"), now: t0))
        #expect(s.status == .completed)
        #expect(s.activeNames == ["done"])
        #expect(s.version == 7)
        #expect(Show.openTasks(def, s, now: t0).isEmpty)
        // A finished case refuses further events.
        #expect(try refused(Engine.fire(def, s, Event("confirm", actor: "carol"), now: t0)).kind == .caseFinished)
    }

    @Test func unauthorizedActorIsRefusedAndNothingChanges() throws {
        let s = try inReview()
        let before = try s.json()
        let r = try refused(Engine.fire(def, s, Event("approve", actor: "alice"), now: t0))
        #expect(r.kind == .notAuthorized)
        #expect(r.message.contains("manager (carol)"))
        #expect(r.span?.file == "company-handover.yaml")
        #expect(try s.json() == before)
        let stranger = try refused(Engine.fire(def, s, Event("approve", actor: "mallory"), now: t0))
        #expect(stranger.kind == .notAuthorized)
    }

    @Test func unknownEventIsRefused() throws {
        let s = try inReview()
        let r = try refused(Engine.fire(def, s, Event("submit", actor: "alice"), now: t0))
        #expect(r.kind == .unknownEvent)
        #expect(r.message.contains("approve"))
    }

    @Test func guardFalseIsRefused() throws {
        var s = try started()
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice", payload: application), now: t0))
        let r = try refused(Engine.fire(def, s, Event("ready", actor: "alice", payload: ["items": .list([])]), now: t0))
        #expect(r.kind == .guardFalse)
        #expect(r.message.contains("size(case.items) > 0"))
        #expect(r.span?.line == 67)
    }

    @Test func payloadNotFillableAndWrongType() throws {
        var s = try started()
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice", payload: application), now: t0))
        let r = try refused(Engine.fire(def, s, Event("ready", actor: "alice", payload: ["reason": "transfer"]), now: t0))
        #expect(r.kind == .payloadNotFillable)
        #expect(r.message.contains("fillable: items"))
        let bad = try refused(Engine.fire(def, s, Event("ready", actor: "alice", payload: ["items": .list([.map(["name": "x", "kind": "furniture"]), .map(["kind": "document"])])]), now: t0))
        #expect(bad.kind == .payloadInvalid)
        #expect(bad.details.contains { $0.hasPrefix("items[0].kind: expected one of document") })
        #expect(bad.details.contains("items[1].name: missing (type string)"))
    }

    @Test func requiresAllDoneRefusesTheCompletingSignature() throws {
        var s = try inReview(done: false)
        s = try accepted(Engine.fire(def, s, Event("approve", actor: "carol"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "alice"), now: t0))
        let r = try refused(Engine.fire(def, s, Event("sign", actor: "bob"), now: t0))
        #expect(r.kind == .requirementFailed)
        #expect(r.message.hasPrefix("交接清单上的每一项都必须移交完毕"))
        #expect(r.details == ["items[0] 客户资料 is not done", "items[1] 系统账号 is not done"])
        #expect(r.span?.line == 92)
        // Signing twice is refused too.
        #expect(try refused(Engine.fire(def, s, Event("sign", actor: "alice"), now: t0)).kind == .alreadySigned)
    }

    @Test func rejectLoopIsBoundedByMaxRounds() throws {
        var s = try inReview()
        for round in 2...3 {
            s = try accepted(Engine.fire(def, s, Event("reject", actor: "carol"), now: t0))
            #expect(s.activeNames == ["prepare"])
            s = try accepted(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0))
            #expect(s.root.rounds["review"] == round)
        }
        s = try accepted(Engine.fire(def, s, Event("reject", actor: "carol"), now: t0))
        let r = try refused(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0))
        #expect(r.kind == .maxRounds)
        #expect(r.message.contains("at most 3 times"))
        #expect(r.span?.line == 70)
        // The withdrawal is still possible.
        s = try accepted(Engine.fire(def, s, Event("withdraw", actor: "alice"), now: t0))
        #expect(s.status == .withdrawn)
    }

    @Test func separationOfDutiesAtStart() throws {
        var people = handoverPeople
        people["receiver"] = "alice"
        let r = try refused(Engine.start(def, caseID: "C1", data: [:], people: people, now: t0))
        #expect(r.kind == .separationOfDuties)
        #expect(r.message.contains("alice"))
        var missing = handoverPeople
        missing["hr"] = nil
        #expect(try refused(Engine.start(def, caseID: "C1", data: [:], people: missing, now: t0)).kind == .unboundRole)
    }

    @Test func startDataIsValidated() throws {
        let r = try refused(Engine.start(def, caseID: "C1", data: ["reason": "fired", "last_day": "2025-13-01", "color": "red",
                                                                   "items": .list([.map(["name": "a", "kind": "document", "extra": 1])])],
                                         people: handoverPeople, now: t0))
        #expect(r.kind == .invalidData)
        #expect(r.details.contains("color: unknown field (fields: reason, last_day, application, items)"))
        #expect(r.details.contains { $0.hasPrefix("reason: expected one of resignation") })
        #expect(r.details.contains { $0.hasPrefix("last_day: expected a date YYYY-MM-DD") })
        #expect(r.details.contains { $0.hasPrefix("items[0].extra: unknown field") })
        // Defaults: checklist items get done = false.
        let s = try accepted(Engine.start(def, caseID: "C1", data: ["items": .list([.map(["name": "a", "kind": "document"])])], people: handoverPeople, now: t0))
        #expect(s.data["items"] == .list([.map(["name": "a", "kind": "document", "done": false])]))
    }

    @Test func workingDayDeadlineBeforeAHolidayAndTickEscalation() throws {
        var s = try inReview()
        let timer = try #require(s.root.active?.timer)
        // Friday 2025-09-26: Sunday 09-28 is a make-up working day, then 09-29 and 09-30;
        // the deadline is the end of 09-30 in Shanghai.
        #expect(timer.due.description == "2025-09-30T16:00:00Z")
        let left = try #require(Show.deadlines(def, s, now: t0).first).secondsLeft
        #expect(left == Int64(4 * 86_400 + 14 * 3600))
        let early = try #require(Engine.tick(def, s, now: at("2025-09-30T23:59:00+08:00")).step)
        #expect(early.snapshot == s)
        let late = try #require(Engine.tick(def, s, now: at("2025-10-01T00:00:00+08:00")).step)
        s = late.snapshot
        #expect(s.escalations.map(\.people) == [["dave"]])
        #expect(s.violations.map(\.message) == ["直接上级未在3个工作日内完成交接审核"])
        #expect(s.violations.first?.span.line == 75)
        #expect(late.effects.count == 2)
        #expect(s.activeNames == ["review"])
        // Fired once only.
        let again = try #require(Engine.tick(def, s, now: at("2025-10-02T00:00:00+08:00")).step)
        #expect(again.snapshot == s)
    }

    @Test func deadlineAcrossSpringFestival() throws {
        let t = at("2025-01-24T09:00:00+08:00") // Friday; Sunday 01-26 works, 01-28..02-04 off
        var s = try accepted(Engine.start(def, caseID: "C2", data: [:], people: handoverPeople, now: t))
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice", payload: application), now: t))
        s = try accepted(Engine.fire(def, s, Event("ready", actor: "alice", payload: ["items": .list([item("a")])]), now: t))
        #expect(s.root.active?.timer?.due.description == "2025-02-05T16:00:00Z")
    }

    @Test func yearWithoutCalendarDataIsAnExplicitError() throws {
        let t = at("2031-03-07T09:00:00+08:00")
        var s = try accepted(Engine.start(def, caseID: "C3", data: [:], people: handoverPeople, now: t))
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice", payload: application), now: t))
        let r = try refused(Engine.fire(def, s, Event("ready", actor: "alice", payload: ["items": .list([item("a")])]), now: t))
        #expect(r.kind == .calendar)
        #expect(r.message.contains("2031"))
        #expect(r.span?.line == 75)
    }

    @Test func dueByDateIsTheEndOfThatDay() throws {
        var s = try inReview()
        s = try accepted(Engine.fire(def, s, Event("approve", actor: "carol"), now: t0))
        #expect(s.root.active?.timer?.due.description == "2025-10-31T16:00:00Z")
        let step = try #require(Engine.tick(def, s, now: at("2025-11-01T00:00:00+08:00")).step)
        #expect(step.snapshot.escalations.first?.people == ["carol", "dave"])
        #expect(step.snapshot.violations.first?.message == "未在最后工作日前完成交接")
    }

    @Test func transitionViolationIsRecorded() throws {
        var s = try inReview()
        s = try accepted(Engine.fire(def, s, Event("approve", actor: "carol"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "alice"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "bob"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("report_issue", actor: "carol"), now: t0))
        #expect(s.activeNames == ["execute"])
        #expect(s.violations.map(\.message) == ["交接过程发现问题"])
        #expect(s.violations.first?.clause == "七")
        // A fresh sign-off: earlier signatures do not carry over.
        #expect(s.root.active?.signoff?.signatures == [])
    }

    /// Required fields that a state fills must have a value before an event leaves it, so that a
    /// later deadline (`by: case.last_day`) never meets an empty field.
    @Test func requiredFillsMustBeSetBeforeLeaving() throws {
        let s = try started()
        let r = try refused(Engine.fire(def, s, Event("submit", actor: "alice", payload: ["reason": "transfer"]), now: t0))
        #expect(r.kind == .requirementFailed)
        #expect(r.message.contains("`last_day`"))
        #expect(!r.message.contains("`reason`"))
        #expect(r.span?.line == 51)
        #expect(try accepted(Engine.fire(def, s, Event("submit", actor: "alice", payload: application), now: t0)).activeNames == ["prepare"])
    }

    /// The audit trail only moves forward: an event dated before the last change is refused and
    /// a tick at such a time does nothing.
    @Test func timeNeverGoesBack() throws {
        let s = try inReview()
        let earlier = at("2025-09-25T10:00:00+08:00")
        let r = try refused(Engine.fire(def, s, Event("approve", actor: "carol"), now: earlier))
        #expect(r.kind == .runtimeError)
        #expect(r.message.contains("back in time"))
        #expect(try #require(Engine.tick(def, s, now: earlier).step).snapshot == s)
    }

    @Test func idempotencyKey() throws {
        let s = try started()
        let e = Event("submit", actor: "alice", payload: application, idempotencyKey: "k1")
        let s1 = try accepted(Engine.fire(def, s, e, now: t0))
        let again = try #require(Engine.fire(def, s1, e, now: t0).step)
        #expect(again.duplicate)
        #expect(again.snapshot == s1)
    }

    @Test func determinism() throws {
        func run() throws -> Data {
            var s = try inReview()
            s = try accepted(Engine.fire(def, s, Event("approve", actor: "carol"), now: t0))
            s = try accepted(Engine.fire(def, s, Event("sign", actor: "bob"), now: t0))
            s = try accepted(Engine.tick(def, s, now: at("2025-11-03T00:00:00+08:00")))
            return try s.json()
        }
        let a = try run()
        let b = try run()
        #expect(a == b)
        let decoded = try CaseSnapshot.load(a)
        #expect(try decoded.json() == a)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.contains("\"createdAt\":\"2025-09-26T02:00:00Z\""))
    }

    @Test func definitionMismatchIsRefused() throws {
        let s = try started()
        let other = try definition("features")
        #expect(try refused(Engine.fire(other, s, Event("submit", actor: "alice"), now: t0)).kind == .definitionMismatch)
    }
}
