import CEL
import Foundation
import WFCIR

extension Run {
    /// A named event: find the one active state it addresses, authorize, apply the payload,
    /// pick the transition by guard, check requirements, assign, and move.
    mutating func event(_ e: Event) throws(Refusal) {
        // What is needed of each active state (copying an `ActiveState` retains its whole tree).
        struct Candidate { var path: Path; var state: Int; var name: String; var holders: [String: String]? }
        // The usual single candidate is kept out of the list: no list to allocate.
        var sole: Candidate?
        var candidates: [Candidate] = []
        // Closures capture these rather than copies of the run and the event.
        let def = self.def, people = snap.people, name = e.name, actor = e.actor, actingFor = e.actingFor
        Self.forEachActive(snap.root) { p, a in
            if def.ir.states.indices.contains(a.state) && def.state(known: a.state).transitionRefs.contains(where: { $0.ir.event == name }) {
                let c = Candidate(path: p, state: a.state, name: a.name, holders: a.holders)
                if sole == nil && candidates.isEmpty { sole = c; return }
                if let first = sole { candidates.append(first); sole = nil }
                candidates.append(c)
            }
        }
        // Authorized: the actor holds a role of the transition (by role id: no set of names).
        // Read through the reference: passing a `TransitionIR` copies it.
        func allowed(_ t: Definition.TransitionRef, _ holders: [String: String]?) -> Bool {
            t.ir.event == name && t.ir.roles.contains { r in
                let roleName = def.roleName(r)
                return Substitutes.mayAct(def, holder: Self.holder(roleName, people: people, holders: holders), people: people, roleName: roleName,
                                          actor: actor, actingFor: actingFor)
            }
        }
        func isAuthorized(_ c: Candidate) -> Bool { def.state(known: c.state).transitionRefs.contains { allowed($0, c.holders) } }
        // The one authorized candidate, or the refusal that explains why there is none.
        func authorizedCandidate() throws(Refusal) -> Candidate {
            if candidates.isEmpty {
                let available = Array(Set(Show.openTasks(def, snap, now: now.date).flatMap(\.events))).sorted()
                var r = Refusal(.unknownEvent, "event `\(e.name)` is not possible now" + (available.isEmpty ? "" : " (possible: \(available.joined(separator: ", ")))"),
                                span: allActive().last.map { def.ir.states[$0.1.state].span })
                r.event = e.name
                r.possibleEvents = available
                throw r
            }
            if let item = e.item {
                candidates = candidates.filter { itemIndex($0.path) == item }
                if candidates.isEmpty { throw Refusal(.unknownEvent, "event `\(e.name)` is not possible for item \(item)") }
            }
            let authorized = candidates.filter(isAuthorized)
            guard let a = authorized.first else {
                let roles = rolesOf(e.actor)
                let a = candidates[0]
                let t = def.ir.states[a.state].transitions.first { $0.event == e.name }
                let allowed = Set((t?.roles ?? []).map(def.roleName)).sorted()
                if let r = Substitutes.forbidden(def, people: people, holder: { Self.holder($0, people: people, holders: a.holders) }, roles: allowed, event: e, state: a.name, span: t?.span) { throw r }
                let held = roles.isEmpty ? "no role in this case" : "role(s) \(roles.sorted().joined(separator: ", "))"
                let who = e.actingFor.map { "\(e.actor), acting for \($0) (who holds \(rolesOf($0).isEmpty ? "no role in this case" : "role(s) \(rolesOf($0).sorted().joined(separator: ", "))")),\u{20}" } ?? "\(e.actor) holds \(held);\u{20}"
                throw Refusal(.notAuthorized, "\(who)`\(e.name)` in `\(a.name)` may be fired by \(allowed.map { "\($0) (\(Self.holder($0, people: snap.people, holders: a.holders) ?? "unbound"))" }.joined(separator: ", "))", span: t?.span)
            }
            if authorized.count > 1 {
                let items = authorized.compactMap { itemIndex($0.path) }
                if items.count == authorized.count {
                    throw Refusal(.ambiguous, "event `\(e.name)` applies to several foreach items; give the item (one of \(items.map(String.init).joined(separator: ", ")))", span: def.ir.states[a.state].span)
                }
                throw Refusal(.ambiguous, "event `\(e.name)` applies to several active states: \(authorized.map(\.name).joined(separator: ", "))", span: def.ir.states[a.state].span)
            }
            return a
        }
        let a: Candidate
        if let sole, e.item == nil, isAuthorized(sole) {
            a = sole
        } else {
            if let sole { candidates = [sole] }
            a = try authorizedCandidate()
        }
        let path = a.path
        let s = try def.state(a.state)
        // The authorized transitions by index, held by reference: a `TransitionIR` copy retains
        // each of its parts.
        let all = s.transitionRefs
        var transitions = SmallList<Int>()
        for i in all.indices where allowed(all[i], a.holders) { transitions.append(i) }
        // 退回到指定步骤: the chosen step comes in the data, apart from the case fields.
        var payload = e.payload
        let backTo = try backToChoice(&payload, offered: transitions.contains { all[$0].ir.backTo == true }, in: s)

        // Payload: fields of the state's and the event's `fills`, type-checked.
        var data = snap.data
        let payloadKeys = AscendingKeys(payload)
        if !payload.isEmpty {
            // A few small lists: searched in place, a set only for the error message.
            func fillable(_ id: Int) -> Bool { s.fills.contains(id) || transitions.contains { all[$0].fills.contains(id) } }
            var issues: [String] = []
            for key in payloadKeys {
                guard let f = def.ir.fields.first(where: { $0.name == key }) else {
                    throw Refusal(.payloadInvalid, "payload field `\(key)` is not a field of the case", span: s.span)
                }
                guard fillable(f.id) else {
                    var allowed = Set(s.fills)
                    for i in transitions { allowed.formUnion(all[i].fills) }
                    let can = allowed.sorted().map(def.fieldName)
                    throw Refusal(.payloadNotFillable, "field `\(key)` cannot be filled in `\(s.name)` with `\(e.name)`" + (can.isEmpty ? " (nothing can be filled here)" : " (fillable: \(can.joined(separator: ", ")))"), span: transitions.first.map { all[$0].span } ?? s.span)
                }
            }
            let (clean, partialIssues) = def.validateData(payload, fillableLater: [], partial: true)
            issues += partialIssues
            if !issues.isEmpty { throw Refusal(.payloadInvalid, "the payload does not match the field types", span: transitions.first.map { all[$0].span } ?? s.span, details: issues) }
            for k in AscendingKeys(clean) {
                guard let v = clean[k] else { continue }
                if v == .null { data[k] = nil } else { data[k] = v }
                trace.append(TraceEntry(.payload, state: s.name, note: .filled(field: k)))
            }
        }

        // Before guards read them: fields only this state fills, when every way out goes on.
        if !transitions.isEmpty, transitions.allSatisfy({ i in !(all[i].target.map { def.ir.states.indices.contains($0) && def.state(known: $0).isFinal } ?? false) }) {
            try requireFilled(def.mustFillBeforeLeaving[s.id] ?? [], leaving: s, with: e.name, data: data)
        }

        // The first transition whose guard holds (guarded alternatives exclude each other).
        var chosen: Int?
        var lastGuard: ExprIR?
        for i in transitions {
            if all[i].ir.backTo == true, !Self.isChoice(all[i], backTo, def) { continue }
            guard let g = all[i].guardExpr else { chosen = i; break }
            let ok = try def.evaluateBool(g, region: s.region, data: data, items: items(path), now: now)
            trace.append(TraceEntry(.guardEvaluated, state: s.name, note: .condition(source: g.source, value: ok), span: g.span))
            lastGuard = g
            if ok { chosen = i; break }
        }
        guard let chosen else {
            try refuseBackTo(backTo, transitions: transitions.map { all[$0].ir }, event: e.name, in: s)
            throw Refusal(.guardFalse, "`\(e.name)` is not allowed now: condition `\(lastGuard?.source ?? "")` does not hold", span: lastGuard?.span ?? s.span)
        }
        let t = all[chosen]
        if !(t.target.map { def.ir.states.indices.contains($0) && def.state(known: $0).isFinal } ?? false) {
            try requireFilled(def.mustFillBeforeLeaving[s.id] ?? [], leaving: s, with: e.name, data: data)
        }
        if !payload.isEmpty {
            for key in payloadKeys {
                if let f = def.ir.fields.first(where: { $0.name == key }), !s.fills.contains(f.id) && !t.fills.contains(f.id) {
                    throw Refusal(.payloadNotFillable, "field `\(key)` cannot be filled with this `\(e.name)`", span: t.span)
                }
            }
        }
        if let failure = try failedRequirement(s.requires + t.requires, region: s.region, data: data, path: path) { throw failure }
        trace.append(TraceEntry(.requirementChecked, state: s.name, note: .requirements(s.requires.count + t.requires.count), span: t.span))
        // Names the transition taken (by its span): `wfc test --coverage` counts these.
        trace.append(TraceEntry(.transition, state: s.name, note: .transition(event: e.name, target: t.target.map { def.state(known: $0).name } ?? "join"), span: t.span))

        try assignRoles(e, t, in: s)
        // Assignments see the data before any of them is applied.
        var assigned: [(String, ValueIR)] = []
        for asg in t.assignments {
            let v = try def.evaluate(asg.value, region: s.region, data: data, items: items(path), now: now)
            guard let f = def.ir.fields.first(where: { $0.id == asg.field }) else { throw Refusal(.runtimeError, "assignment to unknown field #\(asg.field)", span: asg.value.span) }
            var issues: [String] = []
            guard let clean = def.validateValue(Definition.storedValue(v), f.type, path: f.name, issues: &issues) else {
                throw Refusal(.runtimeError, "`\(asg.value.source)` gives a value that does not fit `\(f.name)`", span: asg.value.span, details: issues)
            }
            assigned.append((f.name, clean))
        }
        for (k, v) in assigned {
            data[k] = v
            trace.append(TraceEntry(.assigned, state: s.name, note: .assigned(field: k, value: v), span: t.span))
        }
        // Only a changed case writes its data: the write copies the snapshot's shared fields.
        if !payload.isEmpty || !assigned.isEmpty { snap.data = data }
        if let v = t.violation {
            let rec = ViolationRecord(at: now, state: s.name, message: v, clause: t.clause ?? s.clause, span: t.span)
            snap.violations.append(rec)
            effects.append(.violation(rec))
            trace.append(TraceEntry(.violation, state: s.name, v, span: t.span))
        }
        try leave(path)
        try go(t.target, join: t.join, at: path, from: t.span)
    }

    /// `sign` and `unsign` in an active sign-off state.
    mutating func signature(_ e: Event) throws(Refusal) {
        let signing = e.name == Event.sign
        if let role = (e.assign ?? [:]).keys.sorted().first { throw Refusal(.assignmentInvalid, "a signature carries no assignment; it cannot assign `\(role)`") }
        let (path, a, role) = try signatureOption(e, signing: signing)
        let span = def.ir.states[a.state].signoff?.span
        if signing, let other = Substitutes.hasSigned(a.signoff?.signatures ?? [], actor: e.actor, actingFor: e.actingFor) {
            if e.actingFor == nil && other.by == nil {
                throw Refusal(.separationOfDuties, "\(e.actor) has already signed `\(a.name)` as \(other.role) and cannot sign again as \(role)", span: span)
            }
            // A substitute's signature counts for the person and was given by the substitute.
            let signer = e.actingFor.map { "\(e.actor) (for \($0))" } ?? e.actor
            let signed = other.by.map { "\($0) for \(other.person)" } ?? other.person
            throw Refusal(.separationOfDuties, "\(signer) cannot sign `\(a.name)` as \(role): \(signed) signed it as \(other.role) already", span: span)
        }
        try checkTurn(a.signoff, party: role, signing: signing, state: a.name, span: span)
        var progress = a.signoff
        if signing {
            progress?.signatures.append(Signature(role: role, person: e.actingFor ?? e.actor, at: now, by: e.actingFor == nil ? nil : e.actor))
        } else {
            progress?.signatures.removeAll { $0.role == role }
        }
        try modify(path) { r throws(Refusal) in r.active?.signoff = progress }
        trace.append(TraceEntry(signing ? .signed : .unsigned, state: a.name, note: .signature(actor: e.actor, role: role, signed: signing, actingFor: e.actingFor), span: span))
        if signing, Run.complete(progress) {
            trace.append(TraceEntry(.completed, state: a.name, note: .signoffComplete, span: span))
            _ = try exitThen(path)
        } else if let progress, progress.steps != nil, progress.turnIndex != a.signoff?.turnIndex {
            // The turn passed on (in order): the task is not new, but its people are.
            let turn = progress.turn
            effects.append(.taskOpened(state: a.name, item: itemIndex(path), events: [Event.sign], roles: turn,
                                       people: turn.map { progress.person($0, people: snap.people) ?? "" }))
        }
    }

    /// What is needed of each open sign-off (copying an `ActiveState` retains its whole tree).
    struct OpenSignoff { var state: Int; var name: String; var signoff: SignoffProgress?; var holders: [String: String]? = nil }

    /// The sign-off and role a `sign`/`unsign` applies to. The usual case (one open sign-off,
    /// one role the actor may act as) is found without building lists; anything else goes
    /// through ``signatureOptions(_:signing:)``, which also explains refusals.
    func signatureOption(_ e: Event, signing: Bool) throws(Refusal) -> (Path, OpenSignoff, String) {
        if e.payload.isEmpty {
            var found: (Path, OpenSignoff, String)?
            var count = 0
            let people = snap.people, actor = e.actor, wanted = e.role, item = e.item, actingFor = e.actingFor, def = self.def
            let principal = actingFor ?? actor
            Self.forEachActive(snap.root) { p, itemIndex, a in
                guard count < 2, let so = a.signoff, item == nil || itemIndex == item else { return }
                // The parties are `required` then `of`, each counted once. Only a sole option is
                // taken here, so their order does not matter.
                func consider(_ r: String) {
                    guard Substitutes.mayAct(def, holder: Self.signer(r, people: people, holders: a.holders, signoff: so), people: people, roleName: r,
                                             actor: actor, actingFor: actingFor) && (wanted == nil || wanted == r) else { return }
                    let has = so.signatures.contains { $0.role == r }
                    guard signing ? !has : (has && so.signatures.contains { $0.role == r && $0.person == principal }) else { return }
                    count += 1
                    if found == nil { found = (p, OpenSignoff(state: a.state, name: a.name, signoff: so, holders: a.holders), r) }
                }
                for (i, r) in so.required.enumerated() where !so.required[..<i].contains(r) { consider(r) }
                for (i, r) in so.of.enumerated() where !so.required.contains(r) && !so.of[..<i].contains(r) { consider(r) }
            }
            if count == 1, let found { return found }
        }
        return try signatureOptions(e, signing: signing)
    }

    /// The full search for ``signatureOption(_:signing:)``: refuses when no sign-off is open,
    /// the actor is no party or has (not) signed, or several sign-offs or roles would fit.
    func signatureOptions(_ e: Event, signing: Bool) throws(Refusal) -> (Path, OpenSignoff, String) {
        var states: [(Path, OpenSignoff)] = []
        Self.forEachActive(snap.root) { p, a in
            if a.signoff != nil { states.append((p, OpenSignoff(state: a.state, name: a.name, signoff: a.signoff, holders: a.holders))) }
        }
        if states.isEmpty { throw Refusal(.unknownEvent, "`\(e.name)`: no sign-off is open") }
        if let item = e.item { states = states.filter { itemIndex($0.0) == item } }
        if !e.payload.isEmpty {
            throw Refusal(.payloadNotFillable, "`\(e.name)` carries no data", span: states.first.map { def.ir.states[$0.1.state].span })
        }
        // (path, state, role) the actor could sign or unsign.
        var options: [(Path, OpenSignoff, String)] = []
        for (p, a) in states {
            guard let so = a.signoff else { continue }
            // The distinct parties, sorted (a few names: sorting beats building a set).
            var parties: [String] = []
            for r in (so.required + so.of).sorted() where parties.last != r { parties.append(r) }
            for r in parties where Substitutes.mayAct(def, holder: Self.signer(r, people: snap.people, holders: a.holders, signoff: so), people: snap.people, roleName: r,
                                                      actor: e.actor, actingFor: e.actingFor) && (e.role == nil || e.role == r) {
                let has = so.signatures.contains { $0.role == r }
                if signing ? !has : (has && so.signatures.contains { $0.role == r && $0.person == (e.actingFor ?? e.actor) }) { options.append((p, a, r)) }
            }
        }
        guard let (path, a, role) = options.first else {
            let roles = rolesOf(e.actingFor ?? e.actor)
            let first = states.first
            let span = first.flatMap { def.ir.states[$0.1.state].signoff?.span }
            if let (_, a) = first, let so = a.signoff,
               let r = Substitutes.forbidden(def, people: snap.people, holder: { Self.signer($0, people: snap.people, holders: a.holders, signoff: so) }, roles: Array(Set(so.required + so.of)).sorted(), event: e, state: a.name, span: span) {
                throw r
            }
            // A role the sender does not hold is that, not "already signed" under another role.
            if let wanted = e.role, person(wanted) != (e.actingFor ?? e.actor), !states.contains(where: { $0.1.signoff?.person(wanted, people: snap.people) == (e.actingFor ?? e.actor) }) {
                let holder = person(wanted).map { "it is bound to \($0)" } ?? "no one in this case holds it"
                let held = roles.isEmpty ? "no role" : "role(s) \(roles.sorted().joined(separator: ", "))"
                throw Refusal(.roleNotHeld, "\(e.actor) does not hold role `\(wanted)` (\(holder)); \(e.actor) holds \(held)", span: span)
            }
            if let (_, a) = first, let so = a.signoff {
                let parties = Set(so.required + so.of)
                // Held here: a party handed to someone else (转交) is not the sender's any more.
                if parties.contains(where: { Self.signer($0, people: snap.people, holders: a.holders, signoff: so) == (e.actingFor ?? e.actor) }) {
                    throw signing ? Refusal(.alreadySigned, "\(e.actor) has already signed `\(a.name)`", span: span)
                                  : Refusal(.notSigned, "\(e.actor) has not signed `\(a.name)`", span: span)
                }
                let needed = parties.sorted().map { "\($0) (\(Self.signer($0, people: snap.people, holders: a.holders, signoff: so) ?? "unbound"))" }
                throw Refusal(.notAuthorized, "\(e.actor) is not a party of sign-off `\(a.name)`; parties: \(needed.joined(separator: ", "))", span: span)
            }
            throw Refusal(.notAuthorized, "\(e.actor) cannot \(e.name) here", span: span)
        }
        if options.contains(where: { $0.0 != options[0].0 }) {
            let items = options.compactMap { itemIndex($0.0) }
            throw Refusal(.ambiguous, "`\(e.name)` applies to several sign-offs" + (items.isEmpty ? "" : "; give the item (one of \(items.map(String.init).joined(separator: ", ")))"), span: def.ir.states[a.state].span)
        }
        if options.count > 1 {
            throw Refusal(.ambiguous, "\(e.actor) may sign `\(a.name)` as \(options.map(\.2).joined(separator: " or ")); give the role", span: def.ir.states[a.state].signoff?.span)
        }
        return (path, a, role)
    }

    /// Fires due timers in due-time order (ties: tree order). Returns whether any fired.
    mutating func fireTimers() -> Bool {
        let due = allActive().enumerated().compactMap { (order, entry) -> (Timestamp, Int, Path, ActiveState)? in
            guard let t = entry.1.timer, !t.fired, t.due <= now else { return nil }
            return (t.due, order, entry.0, entry.1)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var any = false
        for (_, _, path, a) in due {
            // A previous timer may have moved this region on.
            guard let current = try? active(path), current.state == a.state, current.enteredAt == a.enteredAt, let timer = current.timer, !timer.fired else { continue }
            any = true
            var copy = self
            do {
                try copy.fire(timer, path: path, state: current)
                self = copy
            } catch {
                let r = Run.refusal(error)
                trace.append(TraceEntry(.error, state: a.name, "timer could not be handled: \(r.message)", span: r.span ?? timer.span))
                try? modify(path) { r throws(Refusal) in r.active?.timer?.fired = true }
            }
        }
        return any
    }

    private mutating func fire(_ timer: TimerRecord, path: Path, state a: ActiveState) throws(Refusal) {
        let s = try def.state(a.state)
        trace.append(TraceEntry(.timerFired, state: a.name, "\(timer.kind.rawValue) due \(timer.due)", span: timer.span))
        switch timer.kind {
        case .wait:
            if try !exitThen(path) {
                // Stays; the timer stays armed so that a later tick retries.
            }
        case .deadline:
            if !timer.escalate.isEmpty {
                let rec = EscalationRecord(at: now, state: a.name, roles: timer.escalate, people: timer.escalate.compactMap(person), due: timer.due, span: timer.span)
                snap.escalations.append(rec)
                effects.append(.escalation(rec))
                trace.append(TraceEntry(.escalation, state: a.name, "escalated to \(timer.escalate.joined(separator: ", "))", span: timer.span))
            }
            if let v = timer.violation {
                // The overdue actions' own clause, else the deadline's, else the state's.
                let rec = ViolationRecord(at: now, state: a.name, message: v, clause: s.due?.overdueClause ?? s.due?.clause ?? s.clause, span: timer.span)
                snap.violations.append(rec)
                effects.append(.violation(rec))
                trace.append(TraceEntry(.violation, state: a.name, v, span: timer.span))
            }
            try modify(path) { r throws(Refusal) in r.active?.timer?.fired = true }
            if let target = s.due?.target {
                try leave(path)
                try enter(target, at: path)
            }
        }
    }

    /// Refuses moving on from `s` while a required field of `fields` has no value. Only fields
    /// that no other state can fill are held here: elsewhere they may still be filled later.
    func requireFilled(_ fields: [Int], leaving s: Definition.StateRef, with event: String, data: [String: ValueIR]) throws(Refusal) {
        guard !fields.isEmpty else { return }
        // Checked in place: the fields are copied only to report them.
        let all = def.ir.fields
        var missingIndices: [Int] = []
        for id in fields {
            guard let i = all.firstIndex(where: { $0.id == id }) else { continue }
            if !all[i].optional && all[i].defaultValue == nil && data[all[i].name] == nil { missingIndices.append(i) }
        }
        guard !missingIndices.isEmpty else { return }
        let missing = missingIndices.map { all[$0] }
        let names = missing.map { "`\($0.name)`" + ($0.title.map { " (\($0))" } ?? "") }
        throw Refusal(.requirementFailed, "\(names.joined(separator: ", ")) must be filled before `\(event)` leaves `\(s.name)`",
                      span: s.span, details: missing.map { "\($0.name) has no value; send it in the event's data" })
    }
}
