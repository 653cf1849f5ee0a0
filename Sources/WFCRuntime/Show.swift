import Foundation
import WFCIR

/// "What can happen now" for a case, for `wfc case show` and notifications.
public enum Show {
    /// An open task: a state waiting for people.
    public struct Task: Equatable, Sendable {
        public var state: String
        public var title: String?
        /// The foreach item index, for states inside a foreach body.
        public var item: Int?
        /// The events that can be fired (`sign` for sign-offs).
        public var events: [String]
        /// Roles that may act, and the people bound to them (same order).
        public var roles: [String]
        public var people: [String]
        /// A stable key (state, instance path, entry time).
        public var key: String
    }

    /// A deadline or wait of an active state.
    public struct Deadline: Equatable, Sendable {
        public var state: String
        public var kind: TimerRecord.Kind
        public var due: Timestamp
        /// Seconds left (negative when overdue).
        public var secondsLeft: Int64
        public var fired: Bool
        public var escalate: [String]
        /// The provisional calendar year the time was computed in (see
        /// ``Definition/provisionalYear(of:state:kind:)``); nil for published data.
        public var provisionalYear: Int? = nil
    }

    /// Sign-off progress of an active sign-off state.
    public struct PendingSignoff: Equatable, Sendable {
        public var state: String
        public var item: Int?
        public var signed: [Signature]
        /// Required roles not yet signed.
        public var missing: [String]
        /// For `n of`: how many more of `of` must sign.
        public var quorumLeft: Int
        /// `all`, `in_order` (依次), `any` (或签: one of `of`) or `n_of`.
        public var mode: String = "all"
        /// The parties whose turn it is, for a sign-off signed in order (empty otherwise).
        public var turn: [String] = []
        /// Signers added to the sign-off (加签).
        public var added: [AddedSigner] = []
    }

    /// Progress of a checklist field.
    public struct ChecklistProgress: Equatable, Sendable {
        public var field: String
        public var done: Int
        public var total: Int
        public var notDone: [String]
    }

    /// Active state names, outermost first (composites before their branches).
    public static func activeStates(_ def: Definition, _ snap: CaseSnapshot) -> [String] {
        Run(def: def, snap: snap, now: snap.updatedAt, strict: true).allActive().map(\.1.name)
    }

    /// Open tasks, in tree order.
    public static func openTasks(_ def: Definition, _ snap: CaseSnapshot, now: Date) -> [Task] {
        let run = Run(def: def, snap: snap, now: Timestamp(now), strict: true)
        return run.openTaskEntries().map(run.task)
    }

    /// Deadlines and waits of active states, earliest first.
    public static func deadlines(_ def: Definition, _ snap: CaseSnapshot, now: Date) -> [Deadline] {
        let t = Timestamp(now)
        return Run(def: def, snap: snap, now: t, strict: true).allActive().compactMap { _, a in
            a.timer.map {
                Deadline(state: a.name, kind: $0.kind, due: $0.due, secondsLeft: $0.due.seconds - t.seconds, fired: $0.fired, escalate: $0.escalate,
                         provisionalYear: def.ir.states.indices.contains(a.state) ? def.provisionalYear(of: $0.due, state: def.ir.states[a.state], kind: $0.kind) : nil)
            }
        }.sorted { $0.due < $1.due }
    }

    /// Sign-offs waiting for signatures.
    public static func pendingSignoffs(_ def: Definition, _ snap: CaseSnapshot) -> [PendingSignoff] {
        let run = Run(def: def, snap: snap, now: snap.updatedAt, strict: true)
        return run.allActive().compactMap { path, a in
            guard let so = a.signoff else { return nil }
            let signed = Set(so.signatures.map(\.role))
            let left = so.quorum.map { max(0, $0 - so.of.filter(signed.contains).count) } ?? 0
            let mode = so.inOrder == true ? "in_order" : so.quorum == 1 && so.originalParties.allSatisfy(so.of.contains) ? "any" : so.quorum != nil ? "n_of" : "all"
            return PendingSignoff(state: a.name, item: run.itemIndex(path), signed: so.signatures, missing: so.required.filter { !signed.contains($0) }, quorumLeft: left,
                                  mode: mode, turn: so.steps != nil ? so.turn : [], added: so.added ?? [])
        }
    }

    /// Progress of every checklist field.
    public static func checklists(_ def: Definition, _ snap: CaseSnapshot) -> [ChecklistProgress] {
        def.ir.fields.compactMap { f in
            guard case .checklist(let itemFields) = f.type else { return nil }
            guard case .list(let items)? = snap.data[f.name] else { return ChecklistProgress(field: f.name, done: 0, total: 0, notDone: []) }
            var notDone: [String] = []
            for (i, item) in items.enumerated() {
                guard case .map(let m) = item else { continue }
                if m["done"] != .bool(true) {
                    notDone.append(itemLabel(m, fields: itemFields) ?? "\(f.name)[\(i)]")
                }
            }
            return ChecklistProgress(field: f.name, done: items.count - notDone.count, total: items.count, notDone: notDone)
        }
    }

    /// How a checklist item is named in messages: its `name`, else its first non-empty text
    /// field in declaration order (e.g. `system` in an account list, `task` in a plan).
    public static func itemLabel(_ item: [String: ValueIR], fields: [FieldIR]) -> String? {
        if case .string(let n)? = item["name"], !n.isEmpty { return n }
        for f in fields where f.type == .string {
            if case .string(let v)? = item[f.name], !v.isEmpty { return v }
        }
        return nil
    }
}

/// An open task before it is described: enough to tell whether it is newly open.
struct OpenTaskEntry {
    /// The identity ``Show/Task/key`` spells out (state, instance path, entry time), without
    /// building the text: every step compares the open tasks before and after. (A state id
    /// names one state of the definition the snapshot is pinned to.)
    struct Key: Equatable {
        var state: Int
        var path: Path
        var enteredAt: Timestamp
    }
    var path: Path
    var active: ActiveState

    var key: Key { Key(state: active.state, path: path, enteredAt: active.enteredAt) }
}

extension Run {
    /// Open tasks in tree order: sign-offs missing a party, and states with events.
    func openTaskEntries() -> [OpenTaskEntry] { Self.openTaskEntries(def, snap) }

    static func openTaskEntries(_ def: Definition, _ snap: CaseSnapshot) -> [OpenTaskEntry] {
        guard snap.status == .running else { return [] }
        var out: [OpenTaskEntry] = []
        forEachActive(snap.root) { path, a in
            if isOpenTask(def, a) { out.append(OpenTaskEntry(path: path, active: a)) }
        }
        return out
    }

    /// Whether an active state is an open task: a sign-off with ``missingParties(_:)``, or a
    /// state with events. (Decided without building the list of parties.)
    static func isOpenTask(_ def: Definition, _ a: ActiveState) -> Bool {
        guard def.ir.states.indices.contains(a.state) else { return false }
        guard let so = a.signoff else { return !def.state(known: a.state).transitions.isEmpty }
        func signed(_ r: String) -> Bool { so.signatures.contains { $0.role == r } }
        if so.required.contains(where: { !signed($0) }) { return true }
        if let q = so.quorum, so.of.filter(signed).count < q { return so.of.contains { !signed($0) } }
        return false
    }

    /// Parties a sign-off still needs: required roles not signed, then (while the quorum is
    /// not met) the roles of `of` not signed.
    static func missingParties(_ so: SignoffProgress) -> [String] {
        func signed(_ r: String) -> Bool { so.signatures.contains { $0.role == r } }
        // Nobody required has signed yet (a sign-off just entered): the list itself, not a copy.
        if so.quorum == nil, !so.required.contains(where: signed) { return so.required }
        var roles = so.required.filter { !signed($0) }
        if let q = so.quorum, so.of.filter(signed).count < q { roles += so.of.filter { !signed($0) && !roles.contains($0) } }
        return roles
    }

    /// The roles that may act on an open task: missing parties of a sign-off, else the roles of
    /// the state's transitions in file order.
    func roles(_ e: OpenTaskEntry) -> [String] { Self.roles(def, e.active) }

    static func roles(_ def: Definition, _ a: ActiveState) -> [String] {
        // An ordered sign-off is open to the parties whose turn it is.
        if let so = a.signoff { return so.steps != nil ? so.turn : missingParties(so) }
        return def.state(known: a.state).taskRoles
    }

    /// The events of an open task: `sign` for sign-offs, else the state's, in file order.
    func events(_ e: OpenTaskEntry) -> [String] { Self.events(def, e.active) }

    static func events(_ def: Definition, _ a: ActiveState) -> [String] {
        if a.signoff != nil { return signOnly }
        return def.state(known: a.state).taskEvents
    }

    private static let signOnly = [Event.sign]

    /// The public description of an open task.
    func task(_ e: OpenTaskEntry) -> Show.Task {
        let a = e.active
        let roles = roles(e)
        let key = "\(a.name)@\(e.path.map(String.init).joined(separator: "."))@\(a.enteredAt)"
        return Show.Task(state: a.name, title: def.ir.states[a.state].title, item: itemIndex(e.path), events: events(e), roles: roles,
                         people: roles.map { Self.signer($0, people: snap.people, holders: a.holders, signoff: a.signoff) ?? "" }, key: key)
    }
}
