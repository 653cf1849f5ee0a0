import Foundation
import WFCIR

/// A reassignment (转交): the sender hands one open task of a role, or the role for the rest
/// of the case, to another person, with a reason. Sent as an ``Event`` whose
/// ``Event/reassignment`` is set (its name is ``Event/reassign``); the policy's `reassign:`
/// says who may.
public struct Reassignment: Codable, Equatable, Sendable {
    /// The role handed on.
    public var role: String
    /// The person who takes it.
    public var person: String
    /// The state of the open task handed on (the foreach item in ``Event/item``); nil: the role
    /// for the rest of the case.
    public var task: String?
    /// Why, for the audit log (required, one line, at most ``Reassignment/maxReason`` characters).
    public var reason: String

    public init(role: String, person: String, task: String? = nil, reason: String) {
        self.role = role
        self.person = person
        self.task = task
        self.reason = reason
    }

    public static let maxReason = 500
}

extension Event {
    /// The conventional name of a reassignment event.
    public static let reassign = "reassign"
    /// Payload keys under which the audit log keeps ``assign`` and ``reassignment``; field
    /// names are identifiers, so these cannot clash with data.
    public static let assignKey = "@assign", reassignKey = "@reassign"

    /// A reassignment by `actor`.
    public static func reassigning(_ r: Reassignment, actor: String, item: Int? = nil, idempotencyKey: String? = nil) -> Event {
        Event(reassign, actor: actor, idempotencyKey: idempotencyKey, item: item, reassignment: r)
    }

    /// The payload as the audit log stores it: the data, plus ``assign`` and ``reassignment``
    /// under their reserved keys (absent when unused, so other events store what they did).
    public var recordedPayload: [String: ValueIR] {
        var p = payload
        if let assign, !assign.isEmpty { p[Self.assignKey] = .map(assign.mapValues { .string($0) }) }
        if let r = reassignment {
            var m: [String: ValueIR] = ["role": .string(r.role), "person": .string(r.person), "reason": .string(r.reason)]
            if let t = r.task { m["task"] = .string(t) }
            p[Self.reassignKey] = .map(m)
        }
        return p
    }

    /// The event as recorded with ``recordedPayload``: the reserved keys moved back out of the
    /// data. Nil when they hold something else than they are written as.
    public static func recorded(_ name: String, actor: String, payload: [String: ValueIR], idempotencyKey: String?, item: Int?, role: String?,
                                actingFor: String? = nil) -> Event? {
        var data = payload
        var e = Event(name, actor: actor, payload: [:], idempotencyKey: idempotencyKey, item: item, role: role, actingFor: actingFor)
        if let a = data.removeValue(forKey: assignKey) {
            guard case .map(let m) = a else { return nil }
            var people: [String: String] = [:]
            for (k, v) in m {
                guard case .string(let s) = v else { return nil }
                people[k] = s
            }
            e.assign = people
        }
        if let r = data.removeValue(forKey: reassignKey) {
            guard case .map(let m) = r, case .string(let role)? = m["role"], case .string(let person)? = m["person"],
                  case .string(let reason)? = m["reason"] else { return nil }
            var task: String?
            if let t = m["task"] {
                guard case .string(let s) = t else { return nil }
                task = s
            }
            e.reassignment = Reassignment(role: role, person: person, task: task, reason: reason)
        }
        e.payload = data
        return e
    }
}

extension Run {
    /// Who holds `role` in a task: the person it was handed to there (转交), else the case's.
    static func holder(_ role: String, people: [String: String], holders: [String: String]?) -> String? {
        holders?[role] ?? people[role]
    }

    /// Who acts as `party` of an open sign-off: the person it was handed to (转交), else the
    /// case's person, else the signer added under that name (加签).
    static func signer(_ party: String, people: [String: String], holders: [String: String]?, signoff: SignoffProgress?) -> String? {
        holder(party, people: people, holders: holders) ?? signoff?.person(party, people: people)
    }

    /// Whether `actor` may act as `role` in a task whose handed-on roles are `holders`. Every
    /// authorization of an event or signature goes through here.
    static func mayAct(_ actor: String, as role: String, people: [String: String], holders: [String: String]?) -> Bool {
        holder(role, people: people, holders: holders) == actor
    }

    /// Binds the roles transition `t` assigns to the people the event names, after checking
    /// that the event names exactly those and that separation of duties still holds.
    mutating func assignRoles(_ e: Event, _ t: Definition.TransitionRef, in s: Definition.StateRef) throws(Refusal) {
        let wanted = (t.ir.assign ?? []).map(def.roleName)
        let given = e.assign ?? [:]
        if wanted.isEmpty && given.isEmpty { return }
        for role in given.keys.sorted() where !wanted.contains(role) {
            let what = wanted.isEmpty ? "assigns no role" : "assigns \(wanted.map { "`\($0)`" }.joined(separator: ", "))"
            throw Refusal(.assignmentInvalid, "`\(e.name)` in `\(s.name)` \(what); it cannot assign `\(role)`", span: t.span)
        }
        var people = snap.people
        var missing: [String] = []
        for role in wanted {
            guard let person = given[role]?.trimmingCharacters(in: .whitespaces), !person.isEmpty else { missing.append(role); continue }
            people[role] = person
        }
        if !missing.isEmpty {
            throw Refusal(.assignmentInvalid, "`\(e.name)` in `\(s.name)` assigns \(missing.map { "`\($0)`" }.joined(separator: ", ")): name the person in the event",
                          span: t.span, details: missing.map { "\($0): no person given" })
        }
        if let r = Engine.separationRefusal(def, people) { throw r }
        snap.people = people
        for role in wanted {
            trace.append(TraceEntry(.assigned, state: s.name, "role \(role) = \(people[role] ?? "")", span: t.span))
        }
    }

    /// A reassignment (转交): checks the policy's `reassign:`, the task, the person and the
    /// reason, and hands the task or the role over. Separation of duties holds for the new
    /// person as for anyone bound to the role.
    mutating func reassign(_ e: Event) throws(Refusal) {
        guard let r = e.reassignment else { return }
        if !e.payload.isEmpty || !(e.assign ?? [:]).isEmpty {
            throw Refusal(.reassignInvalid, "a reassignment carries no data")
        }
        guard let policy = def.ir.reassign else {
            throw Refusal(.reassignNotAllowed, "the policy lets nobody reassign tasks (it has no `reassign:`)")
        }
        guard let roleID = def.ir.roles.firstIndex(where: { $0.name == r.role }) else {
            throw Refusal(.reassignInvalid, "`\(r.role)` is not a role of the workflow (roles: \(def.ir.roles.map(\.name).joined(separator: ", ")))", span: policy.span)
        }
        let byNames = policy.by.map(def.roleName)
        guard byNames.contains(where: { snap.people[$0] == e.actor }) else {
            throw Refusal(.reassignNotAllowed, "\(e.actor) may not reassign: `reassign:` allows \(byNames.map { "\($0) (\(person($0) ?? "unbound"))" }.joined(separator: ", "))", span: policy.span)
        }
        if let allowed = policy.roles, !allowed.contains(roleID) {
            throw Refusal(.reassignNotAllowed, "`\(r.role)` may not be reassigned: `reassign:` allows \(allowed.map { "`\(def.roleName($0))`" }.joined(separator: ", "))", span: policy.span)
        }
        let reason = r.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let newPerson = r.person.trimmingCharacters(in: .whitespaces)
        if reason.isEmpty { throw Refusal(.reassignInvalid, "a reassignment needs a reason for the audit log", span: policy.span) }
        if reason.count > Reassignment.maxReason || reason.contains(where: \.isNewline) || reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw Refusal(.reassignInvalid, "the reason must be one line of at most \(Reassignment.maxReason) characters without control characters", span: policy.span)
        }
        if newPerson.isEmpty { throw Refusal(.reassignInvalid, "a reassignment needs the person who takes over", span: policy.span) }

        if let task = r.task {
            // One open task: found by state name (and item), holding the role.
            var found: [(Path, ActiveState)] = []
            let def = self.def
            Self.forEachActive(snap.root) { p, item, a in
                if a.name == task && (e.item == nil || item == e.item) && Self.isOpenTask(def, a) { found.append((p, a)) }
            }
            guard let (path, a) = found.first else {
                throw Refusal(.reassignInvalid, "`\(task)` is not an open task" + (e.item.map { " for item \($0)" } ?? ""), span: policy.span)
            }
            if found.count > 1 {
                throw Refusal(.reassignInvalid, "`\(task)` is open for several foreach items; give the item", span: def.ir.states[a.state].span)
            }
            guard Self.roles(def, a).contains(r.role) else {
                throw Refusal(.reassignInvalid, "`\(r.role)` has nothing to do in `\(task)` (it waits for \(Self.roles(def, a).joined(separator: ", ")))", span: def.ir.states[a.state].span)
            }
            guard let from = Self.holder(r.role, people: snap.people, holders: a.holders) else {
                throw Refusal(.reassignInvalid, "`\(r.role)` is not bound yet: assign it instead", span: policy.span)
            }
            if from == newPerson { throw Refusal(.reassignInvalid, "\(newPerson) already holds `\(r.role)` in `\(task)`", span: policy.span) }
            var people = snap.people
            people[r.role] = newPerson
            if let refusal = Engine.separationRefusal(def, people) { throw refusal }
            if let signed = a.signoff?.signatures.first(where: { $0.person == newPerson }) {
                throw Refusal(.separationOfDuties, "\(newPerson) has already signed `\(task)` as \(signed.role) and cannot sign again as \(r.role)", span: def.ir.states[a.state].signoff?.span)
            }
            var holders = a.holders ?? [:]
            holders[r.role] = newPerson
            try modify(path) { inst throws(Refusal) in inst.active?.holders = holders }
            trace.append(TraceEntry(.reassigned, state: task, Self.actingText(newPerson, for: from, role: r.role, task: task, by: e.actor, reason: reason), span: policy.span))
            let item = itemIndex(path)
            var updated = a
            updated.holders = holders
            let roles = Self.roles(def, updated)
            effects.append(.taskOpened(state: a.name, item: item, events: Self.events(def, updated), roles: roles,
                                       people: roles.map { Self.holder($0, people: snap.people, holders: holders) ?? "" }))
        } else {
            guard let from = snap.people[r.role] else {
                throw Refusal(.reassignInvalid, "`\(r.role)` is not bound yet: assign it instead", span: policy.span)
            }
            if from == newPerson { throw Refusal(.reassignInvalid, "\(newPerson) already holds `\(r.role)`", span: policy.span) }
            var people = snap.people
            people[r.role] = newPerson
            if let refusal = Engine.separationRefusal(def, people) { throw refusal }
            snap.people = people
            trace.append(TraceEntry(.reassigned, Self.actingText(newPerson, for: from, role: r.role, task: nil, by: e.actor, reason: reason), span: policy.span))
            // The open tasks of the role now wait for the new person: tell them.
            let def = self.def
            var opened: [Effect] = []
            Self.forEachActive(snap.root) { _, item, a in
                guard Self.isOpenTask(def, a), a.holders?[r.role] == nil else { return }
                let roles = Self.roles(def, a)
                guard roles.contains(r.role) else { return }
                opened.append(.taskOpened(state: a.name, item: item, events: Self.events(def, a), roles: roles,
                                          people: roles.map { Self.holder($0, people: people, holders: a.holders) ?? "" }))
            }
            effects += opened
        }
    }

    /// "bob acting for alice as handler in `handover`, by carol, because …".
    static func actingText(_ person: String, for from: String, role: String, task: String?, by actor: String, reason: String) -> String {
        "\(person) acting for \(from) as \(role)" + (task.map { " in `\($0)`" } ?? " for the rest of the case") + ", by \(actor), because \(reason)"
    }
}

extension Step {
    /// For a reassignment: "X acting for Y as R …, by Z, because …", as the audit log keeps it.
    public var reassignmentNote: String? { trace.first { $0.kind == .reassigned }?.detail }
}
