import Foundation
import Testing
import WFCIR
@testable import WFCRuntime

/// 催办 (reminders), 抄送 (copies) and 退回到指定步骤 (send back to a chosen step) at run time
/// (Fixtures/notices.yaml).
@Suite struct NoticeTests {
    let def: Definition
    /// Monday 2025-09-22, a working day.
    let t0 = at("2025-09-22T09:00:00+08:00")
    let people = ["handover": "alice", "manager": "carol", "hr": "dave", "director": "erin"]

    init() throws { def = try definition("notices") }

    func started() throws -> CaseSnapshot {
        let s = try accepted(Engine.start(def, caseID: "N1", data: [:], people: people, now: t0))
        return try accepted(Engine.fire(def, s, Event("submit", actor: "alice"), now: t0))
    }

    func reminders(_ step: Step) -> [ReminderRecord] {
        step.effects.compactMap { if case .reminder(let r) = $0 { r } else { nil } }
    }

    func copies(_ step: Step) -> [CopyRecord] {
        step.effects.compactMap { if case .copied(let c) = $0 { c } else { nil } }
    }

    @Test func aReminderIsDueAtTheEndOfItsWorkingDayAndFiresOnce() throws {
        let s = try started()
        // `remind: 1 working day` from Monday 09:00: due at the end of Tuesday, like a deadline.
        #expect(s.root.active?.reminder == ReminderProgress(sent: 0, next: Timestamp(at("2025-09-24T00:00:00+08:00"))))
        let early = try #require(Engine.tick(def, s, now: at("2025-09-23T23:00:00+08:00")).step)
        #expect(early.effects.isEmpty && early.snapshot == s)

        let step = try #require(Engine.tick(def, s, now: at("2025-09-24T09:00:00+08:00")).step)
        let r = try #require(reminders(step).first)
        #expect(reminders(step).count == 1)
        #expect(r.state == "prepare" && r.roles == ["handover"] && r.people == ["alice"] && r.count == 1)
        #expect(r.due == Timestamp(at("2025-09-24T00:00:00+08:00")))
        #expect(step.snapshot.reminders == [r])
        #expect(step.snapshot.version == s.version + 1)
        #expect(step.trace.contains { $0.kind == .reminded && $0.detail == "reminder 1 to handover (alice)" })
        // The next one is due at the end of Wednesday; a second tick at the same time sends nothing.
        #expect(step.snapshot.root.active?.reminder?.next == Timestamp(at("2025-09-25T00:00:00+08:00")))
        let again = try #require(Engine.tick(def, step.snapshot, now: at("2025-09-24T09:00:00+08:00")).step)
        #expect(again.effects.isEmpty && again.snapshot.version == step.snapshot.version)
    }

    @Test func aLateTickSendsOneReminderForTheDueTimesItMissed() throws {
        let s = try started()
        let first = try #require(Engine.tick(def, s, now: at("2025-09-24T09:00:00+08:00")).step)
        // Due at the end of Wednesday and of Thursday: one reminder, counted as the third.
        let late = try #require(Engine.tick(def, first.snapshot, now: at("2025-09-26T09:00:00+08:00")).step)
        #expect(reminders(late).map(\.count) == [3])
        #expect(reminders(late).first?.due == Timestamp(at("2025-09-26T00:00:00+08:00")))
        #expect(late.snapshot.reminders.map(\.count) == [1, 3])
        // The same ticks replayed give the same snapshot (what `verify` relies on).
        let again = try accepted(Engine.tick(def, s, now: at("2025-09-24T09:00:00+08:00")))
        let replay = try #require(Engine.tick(def, again, now: at("2025-09-26T09:00:00+08:00")).step)
        #expect(replay.snapshot == late.snapshot)
        #expect(try replay.snapshot.canonicalJSON() == late.snapshot.canonicalJSON())
    }

    @Test func leavingTheStateStopsItsRemindersAndCopiesOnEnterAndLeave() throws {
        let s = try started()
        let review = try #require(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0).step)
        #expect(review.snapshot.activeNames == ["review"])
        // `cc: {enter: [director]}`: a copy, no task.
        let entered = copies(review)
        #expect(entered.map(\.on) == [.enter] && entered.first?.roles == ["director"] && entered.first?.people == ["erin"])
        #expect(!review.effects.contains { if case .taskOpened(_, _, _, let roles, _) = $0 { roles.contains("director") } else { false } })
        // The reminders of `prepare` are gone with it; `review` has its own (2 working days).
        #expect(review.snapshot.root.active?.reminder?.next == Timestamp(at("2025-09-25T00:00:00+08:00")))
        let tick = try #require(Engine.tick(def, review.snapshot, now: at("2025-09-25T09:00:00+08:00")).step)
        let r = try #require(reminders(tick).first)
        // `to: [manager, director]` instead of the task's people.
        #expect(r.state == "review" && r.roles == ["manager", "director"] && r.people == ["carol", "erin"])

        let back = try #require(Engine.fire(def, tick.snapshot, Event("reject", actor: "carol", payload: ["back_to": .string("prepare")]), now: at("2025-09-25T10:00:00+08:00")).step)
        #expect(copies(back).map(\.on) == [.leave] && copies(back).first?.roles == ["hr"])
        #expect(back.snapshot.copies.map(\.on) == [.enter, .leave])
        #expect(back.snapshot.activeNames == ["prepare"])
    }

    @Test func remindersUnderADeadlineStopThereAndTheLadderGoesOn() throws {
        let s = try started()
        let review = try #require(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0).step).snapshot
        // 5 working days after Monday 09-22: 23–26 and the make-up working Sunday 09-28.
        let deadline = try #require(review.root.active?.timer?.due)
        #expect(deadline == Timestamp(at("2025-09-29T00:00:00+08:00")))
        // One tick long after: the reminders before the deadline (after 2, 3, 4 working days) in
        // one, then the escalation and the overdue transition.
        let step = try #require(Engine.tick(def, review, now: at("2025-10-20T09:00:00+08:00")).step)
        let sent = reminders(step)
        #expect(sent.count == 1)
        #expect(sent.first.map { $0.due < deadline } == true)
        #expect(sent.first?.count == 3)
        let kinds = step.effects.map { e -> String in
            switch e {
            case .reminder: "reminder"
            case .escalation: "escalation"
            case .taskOpened: "open"
            default: "other"
            }
        }
        #expect(kinds.firstIndex(of: "reminder").map { $0 < (kinds.firstIndex(of: "escalation") ?? -1) } == true)
        #expect(step.snapshot.activeNames == ["hr_decide"])
        // `hr_decide` reminds its own task's people, at most twice.
        let hr = try #require(Engine.tick(def, step.snapshot, now: at("2025-10-23T09:00:00+08:00")).step)
        #expect(reminders(hr).map(\.roles) == [["hr"]])
        #expect(hr.snapshot.root.active?.reminder?.next == nil)
        // `times: 2` without `every` repeats at the `after` interval: both due times passed.
        #expect(hr.snapshot.root.active?.reminder?.sent == 2)
    }

    @Test func aSendBackNeedsAListedStep() throws {
        let s = try started()
        let review = try accepted(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0))
        let none = try refused(Engine.fire(def, review, Event("reject", actor: "carol"), now: t0))
        #expect(none.kind == .backToNotAllowed)
        #expect(none.message == "`reject` in `review` needs the step to send the case back to (data `back_to`: one of apply, prepare)")
        #expect(none.details == ["back_to: apply", "back_to: prepare"])
        let wrong = try refused(Engine.fire(def, review, Event("reject", actor: "carol", payload: ["back_to": .string("done")]), now: t0))
        #expect(wrong.kind == .backToNotAllowed)
        #expect(wrong.message.hasPrefix("`reject` in `review` cannot send the case back to `done`"))
        let number = try refused(Engine.fire(def, review, Event("reject", actor: "carol", payload: ["back_to": .int(1)]), now: t0))
        #expect(number.kind == .backToNotAllowed)
        // Only the reviewer may choose.
        #expect(try refused(Engine.fire(def, review, Event("reject", actor: "alice", payload: ["back_to": .string("apply")]), now: t0)).kind == .notAuthorized)
        // A listed step: the case goes there, with the data of the event.
        let step = try #require(Engine.fire(def, review, Event("reject", actor: "carol", payload: ["back_to": .string("apply"), "note": .string("缺清单")]), now: t0).step)
        #expect(step.snapshot.activeNames == ["apply"])
        #expect(step.snapshot.data["note"] == .string("缺清单"))
        #expect(step.trace.contains { $0.kind == .transition && $0.detail == "reject → apply" })
        // Another event's data has no `back_to`: it is no field of the case.
        let other = try refused(Engine.fire(def, review, Event("approve", actor: "carol", payload: ["back_to": .string("apply")]), now: t0))
        #expect(other.kind == .payloadInvalid)
    }

    @Test func theIRHasOneMarkedTransitionPerStepAndOmitsUnusedFields() throws {
        let review = try #require(def.ir.state(named: "review"))
        let rejects = review.transitions.filter { $0.event == "reject" }
        #expect(rejects.map { def.ir.states[$0.target ?? 0].name } == ["apply", "prepare"])
        #expect(rejects.allSatisfy { $0.backTo == true })
        #expect(review.transitions.first { $0.event == "approve" }?.backTo == nil)
        #expect(review.remind?.untilDeadline == true && review.remind?.to?.count == 2)
        #expect(def.ir.state(named: "apply")?.remind == nil && def.ir.state(named: "apply")?.cc == nil)
        let json = String(decoding: try IRCoding.canonical(def.ir), as: UTF8.self)
        // `apply` carries none of the new keys.
        #expect(json.components(separatedBy: "\"backTo\":true").count - 1 == 2)
    }

    @Test func snapshotsWithoutNoticesKeepTheirJSONAndWithThemRoundTrip() throws {
        let s = try started()
        let bytes = String(decoding: try s.canonicalJSON(), as: UTF8.self)
        #expect(!bytes.contains("\"reminders\"") && !bytes.contains("\"copies\""))
        let review = try accepted(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0))
        let later = try accepted(Engine.tick(def, review, now: at("2025-09-25T09:00:00+08:00")))
        #expect(!later.reminders.isEmpty && !later.copies.isEmpty)
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try later.canonicalJSON() == Array(try e.encode(later)))
        #expect(try CaseSnapshot.load(later.json()) == later)
    }
}
