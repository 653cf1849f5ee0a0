import Foundation
import WFCCalendar
import WFCIR
import WFCRuntime

// The baseline: workflows/company-handover.yaml written by hand as a Swift `switch` state
// machine, as a team without wfc would write it.
//
// What it does, per step, like the engine:
// - a value-type case (copied in, returned out: a refused step leaves the input unchanged);
// - the same states, events and targets; `status` and `version` like the snapshot;
// - start: every role bound, both `separate` groups checked, `items` defaulted to empty;
// - authorization: the actor must be the person bound to the event's role;
// - payloads applied as typed values (`fills` is enforced by the event's payload type);
// - required fields filled before leaving the only state that fills them (`reason`,
//   `last_day` in apply; `items` in prepare, implied by the guard);
// - the guard `size(case.items) > 0`, the `all_done: items` requirement, `max_rounds: 3` on
//   review and supervise (round counts per state), the violation of `report_issue`;
// - deadlines computed at entry with the same `WorkingCalendar` calls (3 working days for
//   review, the end of `last_day` for execute) and stored with their escalation and violation;
// - sign-offs: required parties stored at entry, the actor's party role found, double signing
//   and one person signing as two roles refused, signatures with person and time, completion.
//
// What it does not do (the engine's extra work, which the ratio is meant to show): no
// interpretation of an IR and no CEL (guards are Swift expressions over typed fields), no
// dynamic payload validation or field lookup (the type system does it), no trace, no effects
// (open tasks are not recomputed), no idempotency keys, no source spans or messages in
// refusals, and it knows this one policy only.
enum Hand {
    enum Role: Int, CaseIterable {
        case handover, receiver, manager, hr
        /// The role's name in the policy (a switch: `"\(role)"` would go through reflection).
        var name: String {
            switch self {
            case .handover: "handover"
            case .receiver: "receiver"
            case .manager: "manager"
            case .hr: "hr"
            }
        }
    }
    enum State: Int, CaseIterable { case apply, prepare, review, execute, supervise, withdrawn, done }
    enum Status { case running, completed, withdrawn }
    enum Reason { case resignation, transfer, sickLeave, maternityLeave }
    enum ItemKind { case document, progress, permission, equipment }

    struct Item {
        var name: String
        var kind: ItemKind
        var nextStep: String?
        var done = false
    }

    struct Signature {
        var role: Role
        var person: String
        var at: Timestamp
    }

    struct Deadline {
        var due: Timestamp
        var escalate: [Role]
        var violation: String
        var fired = false
    }

    struct Violation {
        var at: Timestamp
        var state: State
        var message: String
        var clause: String
    }

    struct Case {
        var caseID: String
        var version = 1
        var status = Status.running
        /// Person per role, indexed by `Role.rawValue`.
        var people: [String]
        // The case data, typed.
        var reason: Reason?
        var lastDay: CalendarDate?
        var application: String?
        var items: [Item] = []
        // The active state and what it accumulates.
        var state = State.apply
        var enteredAt: Timestamp
        var rounds = [Int](repeating: 0, count: State.allCases.count)
        var deadline: Deadline?
        var required: [Role] = []
        var signatures: [Signature] = []
        var violations: [Violation] = []
    }

    enum Event {
        case submit(reason: Reason?, lastDay: CalendarDate?, application: String?)
        case withdraw
        case ready(items: [Item]?)
        case approve, reject
        case sign(role: Role?)
        case confirm, reportIssue
    }

    enum Refusal: Error {
        case unboundRole, separationOfDuties, caseFinished, unknownEvent, notAuthorized
        case guardFalse, requirementFailed, maxRounds, alreadySigned, calendar, runtimeError
    }

    static func start(caseID: String, people: [String: String], now: Timestamp, calendar: WorkingCalendar) -> Result<Case, Refusal> {
        var bound: [String] = []
        for r in Role.allCases {
            guard let p = people[r.name], !p.isEmpty else { return .failure(.unboundRole) }
            bound.append(p)
        }
        // separate: [handover, receiver], [handover, manager]
        if bound[Role.handover.rawValue] == bound[Role.receiver.rawValue] || bound[Role.handover.rawValue] == bound[Role.manager.rawValue] {
            return .failure(.separationOfDuties)
        }
        var c = Case(caseID: caseID, people: bound, enteredAt: now)
        do { try enter(&c, .apply, now: now, calendar: calendar) } catch { return .failure(error) }
        return .success(c)
    }

    static func fire(_ input: Case, _ event: Event, actor: String, now: Timestamp, calendar: WorkingCalendar) -> Result<Case, Refusal> {
        guard input.status == .running else { return .failure(.caseFinished) }
        var c = input
        func by(_ r: Role) throws(Refusal) {
            guard c.people[r.rawValue] == actor else { throw .notAuthorized }
        }
        do throws(Refusal) {
            switch (c.state, event) {
            case (.apply, .submit(let reason, let lastDay, let application)):
                try by(.handover)
                if let reason { c.reason = reason }
                if let lastDay { c.lastDay = lastDay }
                if let application { c.application = application }
                // Required fields only `apply` fills must be set before leaving it.
                guard c.reason != nil, c.lastDay != nil else { throw .requirementFailed }
                try enter(&c, .prepare, now: now, calendar: calendar)
            case (.apply, .withdraw), (.prepare, .withdraw):
                try by(.handover)
                try enter(&c, .withdrawn, now: now, calendar: calendar)
            case (.prepare, .ready(let items)):
                try by(.handover)
                if let items { c.items = items }
                guard !c.items.isEmpty else { throw .guardFalse }
                try enter(&c, .review, now: now, calendar: calendar)
            case (.review, .approve):
                try by(.manager)
                try enter(&c, .execute, now: now, calendar: calendar)
            case (.review, .reject):
                try by(.manager)
                try enter(&c, .prepare, now: now, calendar: calendar)
            case (.execute, .sign(let asRole)):
                let parties = c.required.filter { c.people[$0.rawValue] == actor && (asRole == nil || asRole == $0) }
                let open = parties.filter { p in !c.signatures.contains { $0.role == p } }
                guard let role = open.first else { throw parties.isEmpty ? .notAuthorized : .alreadySigned }
                guard open.count == 1 else { throw .notAuthorized } // ambiguous: give the role
                guard !c.signatures.contains(where: { $0.person == actor }) else { throw .separationOfDuties }
                c.signatures.append(Signature(role: role, person: actor, at: now))
                if c.required.allSatisfy({ r in c.signatures.contains { $0.role == r } }) {
                    // requires: all_done items
                    guard c.items.allSatisfy(\.done) else { throw .requirementFailed }
                    try enter(&c, .supervise, now: now, calendar: calendar)
                }
            case (.supervise, .confirm):
                try by(.manager)
                try enter(&c, .done, now: now, calendar: calendar)
            case (.supervise, .reportIssue):
                try by(.manager)
                c.violations.append(Violation(at: now, state: .supervise, message: "交接过程发现问题", clause: "七"))
                try enter(&c, .execute, now: now, calendar: calendar)
            default:
                throw .unknownEvent
            }
        } catch {
            return .failure(error)
        }
        c.version += 1
        return .success(c)
    }

    /// Enters `s`: round count, deadline, sign-off parties, final status.
    private static func enter(_ c: inout Case, _ s: State, now: Timestamp, calendar: WorkingCalendar) throws(Refusal) {
        c.rounds[s.rawValue] += 1
        if (s == .review || s == .supervise) && c.rounds[s.rawValue] > 3 { throw .maxRounds }
        c.state = s
        c.enteredAt = now
        c.deadline = nil
        c.required = []
        c.signatures = []
        switch s {
        case .review:
            do {
                let due = try calendar.deadline(after: now.date, workingDays: 3)
                c.deadline = Deadline(due: Timestamp(due), escalate: [.hr], violation: "直接上级未在3个工作日内完成交接审核")
            } catch {
                throw .calendar
            }
        case .execute:
            c.required = [.handover, .receiver]
            // due: by case.last_day — the end (24:00 local) of that day.
            guard let day = c.lastDay?.adding(days: 1) else { throw .runtimeError }
            c.deadline = Deadline(due: Timestamp(calendar.startOfDay(day)), escalate: [.manager, .hr], violation: "未在最后工作日前完成交接")
        case .withdrawn:
            c.status = .withdrawn
        case .done:
            c.status = .completed
        case .apply, .prepare, .supervise:
            break
        }
    }
}
