import Foundation
import WFCCalendar
import WFCIR

/// One reminder (催办) sent to the people who have a task open too long.
public struct ReminderRecord: Codable, Equatable, Sendable {
    public var at: Timestamp
    public var state: String
    /// The foreach item, for a task of one item.
    public var item: Int?
    public var roles: [String]
    public var people: [String]
    /// The reminder's due time (the latest one, when a late tick covers several).
    public var due: Timestamp
    /// 1 for the first reminder of this visit to the state, 2 for the second…
    public var count: Int
    public var span: SpanIR
}

/// One copy (抄送): roles told that a state was entered or left. They get no task.
public struct CopyRecord: Codable, Equatable, Sendable {
    public enum Moment: String, Codable, Sendable {
        case enter, leave
    }
    public var at: Timestamp
    public var state: String
    public var on: Moment
    public var roles: [String]
    public var people: [String]
    public var span: SpanIR
}

/// Where the reminders of an active state stand.
public struct ReminderProgress: Codable, Equatable, Sendable {
    /// Reminder due times passed so far (each sent, or covered by a later one).
    public var sent: Int
    /// When the next reminder is due; nil when the schedule is used up.
    public var next: Timestamp?
}

extension ReminderRecord {
    func write(_ w: inout JSONWriter) {
        w.raw("{")
        w.key("at", first: true); w.string(at.description)
        w.key("count"); w.int(count)
        w.key("due"); w.string(due.description)
        if let item { w.key("item"); w.int(item) }
        w.key("people"); w.strings(people)
        w.key("roles"); w.strings(roles)
        w.key("span"); w.span(span)
        w.key("state"); w.string(state)
        w.raw("}")
    }
}

extension CopyRecord {
    func write(_ w: inout JSONWriter) {
        w.raw("{")
        w.key("at", first: true); w.string(at.description)
        w.key("on"); w.string(on.rawValue)
        w.key("people"); w.strings(people)
        w.key("roles"); w.strings(roles)
        w.key("span"); w.span(span)
        w.key("state"); w.string(state)
        w.raw("}")
    }
}

extension ReminderProgress {
    func write(_ w: inout JSONWriter) {
        w.raw("{")
        if let next { w.key("next", first: true); w.string(next.description); w.key("sent") } else { w.key("sent", first: true) }
        w.int(sent)
        w.raw("}")
    }
}

extension Run {
    // MARK: 抄送

    /// Copies the state's `cc` roles on entering or leaving it: a record and an effect.
    mutating func carbonCopy(_ s: Definition.StateRef, on moment: CopyRecord.Moment) {
        guard let roles = moment == .enter ? s.copiedOnEnter : s.copiedOnLeave, let span = s.copySpan else { return }
        // A closure over `people`, not the method `person`: that would copy the whole run.
        let people = snap.people
        let rec = CopyRecord(at: now, state: s.name, on: moment, roles: roles, people: roles.compactMap { people[$0] }, span: span)
        snap.copies.append(rec)
        effects.append(.copied(rec))
        trace.append(TraceEntry(.copied, state: s.name, note: .copied(roles: roles, moment: moment.rawValue), span: span))
    }

    // MARK: 催办

    /// The `k`-th reminder's due time (k from 1): `after`, then `every`, working days from
    /// entering the state. Nil when the schedule has no `k`-th reminder.
    func reminderDue(_ r: ReminderIR, _ k: Int, enteredAt: Timestamp, deadline: Timestamp?) throws(Refusal) -> Timestamp? {
        if let times = r.times, k > times { return nil }
        // Without `every`, `times` repeats at the `after` interval; with neither, one reminder.
        let every = r.every ?? (r.times != nil ? r.after : nil)
        if k > 1 && every == nil { return nil }
        let days = r.after.amount + (k - 1) * (every?.amount ?? 0)
        // The calendar is used in place: copying it out of the definition cost as much as the sum.
        let due: Date?
        do { due = try def.storage.calendar?.deadline(after: enteredAt.date, workingDays: days) } catch {
            throw Refusal(.calendar, "cannot compute the reminder: \(error)", span: r.span)
        }
        guard let due else {
            throw Refusal(.calendar, "working-day reminders need a calendar; the workflow names none", span: r.span)
        }
        let at = Timestamp(due)
        // Under `due:` the reminders stop at the deadline: `overdue` takes over from there.
        if r.untilDeadline == true, let deadline, at >= deadline { return nil }
        return at
    }

    /// The reminder schedule of a state just entered (its timer already set).
    func startReminders(_ r: ReminderIR, _ a: ActiveState) throws(Refusal) -> ReminderProgress? {
        let deadline = a.timer?.kind == .deadline ? a.timer?.due : nil
        return ReminderProgress(sent: 0, next: try reminderDue(r, 1, enteredAt: a.enteredAt, deadline: deadline))
    }

    /// Sends the reminders due at `now`, one per active state (a late tick covers every due
    /// time it missed with one reminder). Returns whether any was sent.
    mutating func fireReminders() -> Bool {
        var due: [(Path, Int?, ActiveState)] = []
        let now = self.now
        Self.forEachActive(snap.root) { p, item, a in
            if let next = a.reminder?.next, next <= now { due.append((p, item, a)) }
        }
        var any = false
        for (path, item, a) in due {
            guard def.ir.states.indices.contains(a.state), let r = def.state(known: a.state).remind, var progress = a.reminder, let first = progress.next else { continue }
            let deadline = a.timer?.kind == .deadline ? a.timer?.due : nil
            do throws(Refusal) {
                var last = first
                progress.sent += 1
                // Due times this tick passed as well: covered by this one reminder.
                var following = try reminderDue(r, progress.sent + 1, enteredAt: a.enteredAt, deadline: deadline)
                while let f = following, f <= now {
                    last = f
                    progress.sent += 1
                    following = try reminderDue(r, progress.sent + 1, enteredAt: a.enteredAt, deadline: deadline)
                }
                progress.next = following
                let roles = r.to.map { $0.map(def.roleName) } ?? Self.roles(def, a)
                // The task's people: a role handed on (转交) is reminded in its new holder.
                let people = roles.compactMap { Self.holder($0, people: snap.people, holders: a.holders) }
                let rec = ReminderRecord(at: now, state: a.name, item: item, roles: roles, people: people, due: last, count: progress.sent, span: r.span)
                let updated = progress
                try modify(path) { r throws(Refusal) in r.active?.reminder = updated }
                snap.reminders.append(rec)
                effects.append(.reminder(rec))
                trace.append(TraceEntry(.reminded, state: a.name, note: .reminded(count: progress.sent, roles: roles, people: people), span: r.span))
                any = true
            } catch {
                trace.append(TraceEntry(.error, state: a.name, "reminder could not be sent: \(error.message)", span: error.span ?? r.span))
                try? modify(path) { r throws(Refusal) in r.active?.reminder?.next = nil }
                any = true
            }
        }
        return any
    }
}

extension Show {
    /// The next reminder due time of each active state that has one, earliest first.
    public static func reminders(_ def: Definition, _ snap: CaseSnapshot) -> [(state: String, due: Timestamp)] {
        var out: [(state: String, due: Timestamp)] = []
        Run.forEachActive(snap.root) { _, a in
            if let next = a.reminder?.next { out.append((a.name, next)) }
        }
        return out.sorted { $0.due < $1.due }
    }
}
