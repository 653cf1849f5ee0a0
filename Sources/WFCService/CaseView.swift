import Foundation
import WFCCalendar
import WFCIR
import WFCRuntime

/// A case as `wfc case show --format json` prints it and `GET /v1/cases/{id}` returns it:
/// active states, open tasks and who may act, pending signatures, deadlines, checklists.
public struct CaseView: Codable, Sendable {
    public struct Task: Codable, Sendable { public var state: String; public var title: String?; public var item: Int?; public var events, roles, people: [String] }
    public struct Deadline: Codable, Sendable {
        public var state, kind, due, dueLocal: String
        public var secondsLeft: Int64
        public var workingDaysLeft: Int?
        public var fired: Bool
        public var escalate: [String]
        /// Set when the time falls in a provisional calendar year: why it may move.
        public var provisional: String?
    }
    public struct SignedView: Codable, Sendable { public var role, person, at: String }
    public struct Signoff: Codable, Sendable {
        public var state: String; public var item: Int?; public var signed: [SignedView]; public var missing: [String]; public var quorumLeft: Int
        /// `in_order` (依次) or `any` (或签); absent for all-of and N-of-M (see `quorumLeft`).
        public var mode: String? = nil
        /// In order: the parties whose turn it is. Absent for an unordered sign-off.
        public var turn: [String]? = nil
        /// Signers added (加签), with who added them and why. Absent when none.
        public var added: [AddedView]? = nil
        /// The people of the missing parties that are added signers (their party is `added:PERSON`).
        public func person(of party: String, people: [String: String]) -> String? { people[party] ?? added?.first { $0.party == party }?.person }
    }
    /// A signer added to a sign-off (加签).
    public struct AddedView: Codable, Sendable { public var party, person, position, by, byRole, reason, at: String }
    public struct Checklist: Codable, Sendable { public var field: String; public var done, total: Int; public var notDone: [String] }

    public var id, workflow, definition, status: String
    public var version: Int
    public var headSeq: Int
    public var headHash: String
    public var active: [String]
    public var tasks: [Task]
    public var signoffs: [Signoff]
    public var deadlines: [Deadline]
    public var checklists: [Checklist]
    public var people: [String: String]
    public var data: [String: ValueIR]
    public var violations: [String]
    public var escalations: [String]
    /// Reminders (催办) sent: `TIME STATE #N: role (person), …`; nil when none.
    public var reminders: [String]?
    /// Copies (抄送) sent: `TIME STATE enter: role (person), …`; nil when none.
    public var copies: [String]?

    /// The view of snapshot `s` of a case running `def` at `now`.
    public init(_ def: Definition, _ s: CaseSnapshot, headSeq: Int, headHash: String, now: Date) {
        id = s.caseID
        workflow = def.ir.id
        definition = def.hash
        status = s.status.rawValue
        version = s.version
        self.headSeq = headSeq
        self.headHash = headHash
        active = Show.activeStates(def, s)
        tasks = Show.openTasks(def, s, now: now).map { Task(state: $0.state, title: $0.title, item: $0.item, events: $0.events, roles: $0.roles, people: $0.people) }
        signoffs = Show.pendingSignoffs(def, s).map { p in
            Signoff(state: p.state, item: p.item, signed: p.signed.map { SignedView(role: $0.role, person: $0.person, at: $0.at.description) }, missing: p.missing, quorumLeft: p.quorumLeft,
                    mode: ["in_order", "any"].contains(p.mode) ? p.mode : nil, turn: p.mode == "in_order" || !p.turn.isEmpty ? p.turn : nil,
                    added: p.added.isEmpty ? nil : p.added.map { AddedView(party: $0.party, person: $0.person, position: $0.position, by: $0.by, byRole: $0.byRole, reason: $0.reason, at: $0.at.description) })
        }
        let tz = def.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
        deadlines = Show.deadlines(def, s, now: now).map { d in
            Deadline(state: d.state, kind: d.kind.rawValue, due: d.due.description, dueLocal: d.due.local(tz), secondsLeft: d.secondsLeft,
                     workingDaysLeft: Self.workingDaysLeft(def, due: d.due, now: now), fired: d.fired, escalate: d.escalate,
                     provisional: d.provisionalYear.map { StatutoryHolidays.provisionalNote(year: $0) })
        }
        checklists = Show.checklists(def, s).map { Checklist(field: $0.field, done: $0.done, total: $0.total, notDone: $0.notDone) }
        people = s.people
        data = s.data
        violations = s.violations.map { "\($0.at) \($0.state): \($0.message)" }
        escalations = s.escalations.map { "\($0.at) \($0.state): \($0.roles.joined(separator: ", "))" }
        func who(_ roles: [String], _ people: [String]) -> String { zip(roles, people).map { "\($0) (\($1))" }.joined(separator: ", ") }
        reminders = s.reminders.isEmpty ? nil : s.reminders.map { "\($0.at) \($0.state) #\($0.count): \(who($0.roles, $0.people))" }
        copies = s.copies.isEmpty ? nil : s.copies.map { "\($0.at) \($0.state) \($0.on.rawValue): \(who($0.roles, $0.people))" }
    }
}

extension CaseView {
    /// Working days from today to the day a deadline falls in (a due time of 24:00 belongs to
    /// the day before it), in the definition's calendar; nil without a calendar or its data.
    public static func workingDaysLeft(_ def: Definition, due: Timestamp, now: Date) -> Int? {
        guard let cal = def.calendar, let today = try? cal.localDate(now), let dueDay = try? cal.localDate(due.date.addingTimeInterval(-1)) else { return nil }
        return try? cal.workingDays(from: today, to: dueDay)
    }

    /// The local wall-clock text of `due` in the definition's calendar's time zone (UTC without one).
    public static func localText(_ def: Definition, _ due: Timestamp) -> String {
        due.local(def.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current)
    }
}

extension Timestamp {
    /// `2025-10-31 24:00 +08:00`-style local text: the wall clock in `tz` with its offset.
    public func local(_ tz: TimeZone) -> String {
        let offset = tz.secondsFromGMT(for: date)
        let shifted = Timestamp(seconds: seconds + Int64(offset)).description // …Z, but local wall clock
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return shifted.prefix(10) + " " + shifted.dropFirst(11).prefix(5) + " \(sign)\(pad(a / 3600)):\(pad(a / 60 % 60))"
    }
}

/// The text of the engine's effects, as `wfc case fire` prints them and the API returns them.
public enum EffectText {
    /// One line for an effect: `open: …`, `escalated: …`, `violation: …`, `finished: …`.
    public static func describe(_ e: Effect) -> String {
        switch e {
        case .taskOpened(let state, let item, let events, let roles, let people):
            let who = zip(roles, people).map { "\($0) (\($1))" }.joined(separator: ", ")
            return "open: \(state)\(item.map { "[\($0)]" } ?? "") — \(events.joined(separator: "/")) by \(who)"
        case .escalation(let r): return "escalated: \(r.state) \(r.reason ?? "overdue since \(r.due)") → \(zip(r.roles, r.people).map { "\($0) (\($1))" }.joined(separator: ", "))"
        case .violation(let v): return "violation: \(v.state): \(v.message)" + (v.clause.map { " (clause \($0))" } ?? "")
        case .caseFinished(let s): return "finished: \(s.rawValue)"
        case .reminder(let r): return "reminded: \(r.state)\(r.item.map { "[\($0)]" } ?? "") #\(r.count) → \(zip(r.roles, r.people).map { "\($0) (\($1))" }.joined(separator: ", "))"
        case .copied(let c): return "copied: \(c.state) (\(c.on.rawValue)) → \(zip(c.roles, c.people).map { "\($0) (\($1))" }.joined(separator: ", "))"
        }
    }
}
