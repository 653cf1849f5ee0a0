import WFCIR

/// Who may act for a role: the person bound to it, or — when the event says the actor stands
/// in for that person (``Event/actingFor``) — their substitute (代理), unless the policy says
/// the role acts in person (`substitutes: false`). Every authorization of the engine
/// (transitions and sign-offs) goes through ``Substitutes/mayAct(_:holder:people:roleName:actor:actingFor:)``.
public enum Substitutes {
    /// Whether `actor` (acting for `actingFor`, when given) may act as `roleName`, whose
    /// holder here is `holder` (the person bound to it, or the one a task was handed to, or an
    /// added signer). A substitute acts only for the person they stand in for, not in roles of
    /// their own.
    @inline(__always)
    static func mayAct(_ def: Definition, holder: String?, people: [String: String], roleName: String, actor: String, actingFor: String?) -> Bool {
        guard let principal = actingFor else { return holder == actor }
        return holder == principal && allowsSubstitutes(def, roleName) && separatedRole(def, people: people, roleName, actor: actor) == nil
    }

    /// A role `actor` holds in this case that a `separate:` group keeps apart from `roleName`:
    /// acting for it as a substitute would let one person hold both (a receiver approving
    /// their own handover for the manager, say). Nil when there is none.
    static func separatedRole(_ def: Definition, people: [String: String], _ roleName: String, actor: String) -> String? {
        guard !def.ir.separations.isEmpty, let target = def.ir.roles.firstIndex(where: { $0.name == roleName }) else { return nil }
        for (held, p) in people where p == actor {
            guard let h = def.ir.roles.firstIndex(where: { $0.name == held }) else { continue }
            if h == target || def.ir.separations.contains(where: { $0.contains(h) && $0.contains(target) }) { return held }
        }
        return nil
    }

    /// Whether `substitute` may act in `role` of a case with these `people` for the person
    /// bound to it: the role allows substitutes and no `separate:` group stands in the way.
    public static func mayActFor(_ def: Definition, people: [String: String], role: String, substitute: String) -> Bool {
        allowsSubstitutes(def, role) && separatedRole(def, people: people, role, actor: substitute) == nil
    }

    /// False when the policy declares the role `substitutes: false`.
    public static func allowsSubstitutes(_ def: Definition, _ roleName: String) -> Bool {
        !def.ir.roles.contains { $0.name == roleName && $0.substitutes == false }
    }

    /// The refusal for a substitute who would be authorized but for `substitutes: false`:
    /// among `roles`, one bound to the person stood in for that forbids substitutes. Nil when
    /// the event is no substitute's, or no such role is the reason.
    static func forbidden(_ def: Definition, people: [String: String], holder: (String) -> String?, roles: [String], event e: Event, state: String, span: SpanIR?) -> Refusal? {
        guard let principal = e.actingFor else { return nil }
        if let role = roles.first(where: { holder($0) == principal && allowsSubstitutes(def, $0) }),
           let held = separatedRole(def, people: people, role, actor: e.actor) {
            return Refusal(.separationOfDuties, "\(e.actor) may not act for \(principal) as `\(role)` in `\(state)`: they are `\(held)` in this case, which the policy keeps apart from that role",
                           span: span)
        }
        guard let role = roles.first(where: { holder($0) == principal && !allowsSubstitutes(def, $0) }) else { return nil }
        let title = def.ir.roles.first { $0.name == role }?.title ?? role
        return Refusal(.substituteNotAllowed,
                       "\(e.actor) may not act for \(principal) as `\(role)` (\(title)) in `\(state)`: the policy says `substitutes: false`, the person bound to it acts in person",
                       span: def.ir.roles.first { $0.name == role }?.span ?? span)
    }

    /// Whether a sign-off's signatures already hold one by the same person: the person acted
    /// for, or the substitute themselves (a substitute signs once, for themselves or for another).
    static func hasSigned(_ signatures: [Signature], actor: String, actingFor: String?) -> Signature? {
        let principal = actingFor ?? actor
        return signatures.first { $0.person == principal || $0.person == actor || $0.by == actor }
    }
}

