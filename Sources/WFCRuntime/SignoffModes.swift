import Foundation
import WFCIR

// Sign-off modes: 依次 (in order), and 加签 (signers added to an active sign-off).
// 或签 (`any:`) compiles to `n: 1` of its list and needs nothing here.
//
// The order is kept as slots (``SignoffProgress/steps``): a party may sign once every earlier
// slot is done. An in-order sign-off starts with one slot per party; an unordered one has one
// slot of every party, made explicit only when a signer is added before or after it.

extension Event {
    /// The implicit event that adds a signer to an active sign-off (加签). Its data: `person`
    /// (who signs), `position` (`before`, `after` or `parallel`) and `reason`.
    public static let addSigner = "add_signer"
}

extension SignoffProgress {
    /// The progress of a sign-off just entered: `required` are `all` plus the conditional
    /// parties that hold; an in-order sign-off gets one slot per party.
    init(entering so: SignoffIR, required: [String], roleName: (Int) -> String) {
        self.init(required: required, quorum: so.quorum, of: so.of.map(roleName), signatures: [])
        if let order = so.inOrder {
            inOrder = true
            steps = order.map { $0.map(roleName) }
        }
    }

    func hasSigned(_ party: String) -> Bool { signatures.contains { $0.role == party } }

    /// The parties before any was added, each once: `required` then `of`.
    var originalParties: [String] {
        var out: [String] = []
        for r in required + of where !out.contains(r) && !(added ?? []).contains(where: { $0.party == r }) { out.append(r) }
        return out
    }

    /// The slots in signing order.
    var slots: [[String]] { steps ?? [originalParties] }

    /// A slot is done when its required parties have signed and, when it holds parties of
    /// `n of`, the quorum is met.
    func slotDone(_ slot: [String]) -> Bool {
        guard slot.filter({ required.contains($0) }).allSatisfy(hasSigned) else { return false }
        if let q = quorum, slot.contains(where: { of.contains($0) && !required.contains($0) }) {
            return of.filter(hasSigned).count >= q
        }
        return true
    }

    /// The index of the first slot not done (the slot whose turn it is); `slots.count` when all are.
    var turnIndex: Int { slots.firstIndex { !slotDone($0) } ?? slots.count }

    /// The parties whose turn it is and who have not signed (for a quorum slot: the parties of
    /// `of` still unsigned, while it is not met).
    var turn: [String] {
        let all = slots
        let i = turnIndex
        guard i < all.count else { return [] }
        return all[i].filter { !hasSigned($0) }
    }

    /// The person a party stands for: the role's person, or the added signer.
    func person(_ party: String, people: [String: String]) -> String? {
        if let p = people[party] { return p }
        return added?.first { $0.party == party }?.person
    }
}

extension Run {
    /// Refuses a signature out of turn, or the withdrawal of one a later slot relied on. An
    /// unordered sign-off without added signers has one slot: nothing is refused here.
    func checkTurn(_ so: SignoffProgress?, party: String, signing: Bool, state: String, span: SpanIR?) throws(Refusal) {
        guard let so, so.steps != nil else { return }
        let slots = so.slots
        guard let mine = slots.firstIndex(where: { $0.contains(party) }) else { return }
        if signing {
            let now = so.turnIndex
            guard mine != now else { return }
            let whose = so.turn.map { "\($0) (\(so.person($0, people: snap.people) ?? "unbound"))" }
            var r = Refusal(.notYourTurn, "`\(state)` is signed in order: it is the turn of \(whose.joined(separator: ", ")), not of \(party)", span: span)
            r.details = ["order: " + slots.map { $0.joined(separator: " + ") }.joined(separator: " → ")]
            throw r
        }
        // A later party signed after this signature: withdrawing it would leave theirs signed out of turn.
        let later = slots[(mine + 1)...].flatMap { $0 }.filter(so.hasSigned)
        if !later.isEmpty {
            throw Refusal(.signatureLocked, "\(party) cannot withdraw the signature on `\(state)`: \(later.joined(separator: ", ")) signed after it, in order", span: span,
                          details: ["the later signatures must be withdrawn first, last one first"])
        }
    }

    /// `add_signer`: adds the person in the event's data to the actor's active sign-off, in the
    /// position asked for, when the policy's `add:` lets the actor's role do so.
    mutating func addSigner(_ e: Event) throws(Refusal) {
        let request = try Self.addSignerRequest(e)
        // The open sign-offs the event may address.
        var open: [(Path, Int?, ActiveState)] = []
        Self.forEachActive(snap.root) { p, item, a in
            if a.signoff != nil && (e.item == nil || e.item == item) { open.append((p, item, a)) }
        }
        guard !open.isEmpty else { throw Refusal(.unknownEvent, "`\(e.name)`: no sign-off is open") }
        let def = self.def, people = snap.people
        func policy(_ a: ActiveState) -> SignoffAddIR? { def.ir.states.indices.contains(a.state) ? def.ir.states[a.state].signoff?.add : nil }
        let allowing = open.filter { policy($0.2) != nil }
        guard !allowing.isEmpty else {
            let names = open.map { "`\($0.2.name)`" }.joined(separator: ", ")
            throw Refusal(.addSignerNotAllowed, "the sign-off \(names) does not let anyone add a signer", span: def.ir.states[open[0].2.state].signoff?.span,
                          details: ["the policy allows it with `add: {by: [ROLE]}` in the sign-off"])
        }
        // The actor's role among `add.by` (the one the event names, when it names one).
        func adderRole(_ a: ActiveState) -> String? {
            policy(a)?.by.map(def.roleName).first { people[$0] == e.actor && (e.role == nil || e.role == $0) }
        }
        let mine = allowing.filter { adderRole($0.2) != nil }
        guard let (path, item, a) = mine.first, let byRole = adderRole(a), let add = policy(a), var so = a.signoff else {
            let a = allowing[0].2
            let by = (policy(a)?.by ?? []).map(def.roleName).map { "\($0) (\(person($0) ?? "unbound"))" }
            throw Refusal(.notAuthorized, "\(e.actor) may not add a signer to `\(a.name)`; it may be done by \(by.joined(separator: ", "))", span: policy(a)?.span)
        }
        if mine.count > 1 {
            let items = mine.compactMap { $0.1 }
            throw Refusal(.ambiguous, "`\(e.name)` applies to several sign-offs" + (items.count == mine.count ? "; give the item (one of \(items.map(String.init).joined(separator: ", ")))" : ""), span: add.span)
        }
        guard add.positions.contains(request.position) else {
            throw Refusal(.addSignerNotAllowed, "`\(a.name)` lets a signer be added \(add.positions.joined(separator: ", ")), not \(request.position)", span: add.span)
        }
        try checkAddedPerson(request.person, to: so, in: a, actor: e.actor, span: add.span)

        // Relative to the slot whose turn it is (after the last, when every slot is done).
        let party = "added:" + request.person
        var slots = so.slots
        let turn = so.turnIndex
        switch request.position {
        case "before": slots.insert([party], at: turn)
        case "parallel" where turn < slots.count: slots[turn].append(party)
        default: slots.insert([party], at: min(turn + 1, slots.count))
        }
        so.steps = slots
        so.required.append(party)
        so.added = (so.added ?? []) + [AddedSigner(party: party, person: request.person, position: request.position, by: e.actor, byRole: byRole,
                                                     reason: request.reason, at: now)]
        let progress = so
        try modify(path) { r throws(Refusal) in r.active?.signoff = progress }
        trace.append(TraceEntry(.signerAdded, state: a.name, "\(e.actor) (\(byRole)) added \(request.person) \(request.position): \(request.reason)", span: add.span))
        // The added person's task is open now, though the state's is not new: tell them.
        effects.append(.taskOpened(state: a.name, item: item, events: [Event.sign], roles: [party], people: [request.person]))
    }

    /// The person, position and reason of an `add_signer` event, each required.
    static func addSignerRequest(_ e: Event) throws(Refusal) -> (person: String, position: String, reason: String) {
        func text(_ key: String) -> String? {
            guard case .string(let s)? = e.payload[key] else { return nil }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        let known = ["person", "position", "reason"]
        var issues: [String] = []
        for k in e.payload.keys.sorted() where !known.contains(k) { issues.append("`\(k)` is not part of a request to add a signer") }
        if text("person") == nil { issues.append("`person`: the id of the person to add") }
        if let p = text("position"), !["before", "after", "parallel"].contains(p) { issues.append("`position` `\(p)` is not before, after or parallel") }
        if text("position") == nil { issues.append("`position`: before, after or parallel") }
        if text("reason") == nil { issues.append("`reason`: why the signer is added (kept in the audit log)") }
        guard issues.isEmpty, let person = text("person"), let position = text("position"), let reason = text("reason") else {
            throw Refusal(.payloadInvalid, "`\(e.name)` needs a person, a position and a reason", details: issues)
        }
        return (person, position, reason)
    }

    /// Separation holds for the added person: not the adder, not already a signer, not bound
    /// to a party of the sign-off, nor to a role a `separate:` group keeps apart from a party.
    func checkAddedPerson(_ person: String, to so: SignoffProgress, in a: ActiveState, actor: String, span: SpanIR?) throws(Refusal) {
        func refuse(_ why: String) -> Refusal { Refusal(.addedSignerConflict, "\(person) cannot be added to `\(a.name)`: \(why)", span: span) }
        if person == actor { throw refuse("one cannot add oneself as a signer") }
        if let other = (so.added ?? []).first(where: { $0.person == person }) { throw refuse("\(person) was already added by \(other.by)") }
        let parties = so.originalParties
        if let role = parties.first(where: { snap.people[$0] == person }) { throw refuse("\(person) is already a party, as \(role)") }
        let partyIDs = Set(parties.compactMap { p in def.ir.roles.firstIndex { $0.name == p } })
        for group in def.ir.separations where !partyIDs.isDisjoint(with: group) {
            for id in group where snap.people[def.roleName(id)] == person {
                let apart = group.filter(partyIDs.contains).map(def.roleName)
                throw refuse("\(person) is bound to \(def.roleName(id)), which `separate:` keeps apart from \(apart.joined(separator: ", "))")
            }
        }
    }
}

extension Show {
    /// The people added as signers (加签) to the case's active sign-offs: they may read the case.
    public static func addedSigners(_ snap: CaseSnapshot) -> [String] {
        var out: [String] = []
        Run.forEachActive(snap.root) { _, a in out += (a.signoff?.added ?? []).map(\.person) }
        return out
    }
}
