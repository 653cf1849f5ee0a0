import Foundation
import WFCIR

/// Moves a running case from one definition to another by a compiled ``MigrationPlanIR``.
/// Pure and deterministic like ``Engine``: the same definitions, snapshot, plan and `now`
/// always give the same result, so that replay re-applies a recorded migration exactly.
/// A refusal leaves the case as it was, on its old definition.
public enum Migration {
    /// The case on `new`: data and people carried over (the plan's values and people added and
    /// checked against the new schema, roles and separations), every active state — in any
    /// branch or foreach item — moved to the state the plan maps it to, with its round counts,
    /// entry time, deadline or wait (kept or recomputed) and sign-off (kept or reset). A sign-off
    /// that the kept signatures now complete, and a parallel or foreach state whose branches
    /// have all joined, move on at once, as they would after a step. The version goes up by one.
    public static func apply(_ old: Definition, _ snapshot: CaseSnapshot, _ plan: MigrationPlanIR, to new: Definition, now: Date) -> StepResult {
        let t = Timestamp(now)
        guard snapshot.definitionHash == old.hash else {
            return .refused(Refusal(.definitionMismatch, "case \(snapshot.caseID) is on definition \(snapshot.definitionHash), not \(old.hash)"))
        }
        guard plan.from == old.hash else {
            return .refused(Refusal(.definitionMismatch, "the plan migrates cases of \(plan.from); case \(snapshot.caseID) is on \(old.hash)"))
        }
        guard plan.to == new.hash else {
            return .refused(Refusal(.definitionMismatch, "the plan migrates cases to \(plan.to), not to \(new.hash)"))
        }
        guard new.ir.id == old.ir.id else {
            return .refused(Refusal(.definitionMismatch, "the plan migrates workflow `\(old.ir.id)` to workflow `\(new.ir.id)`: a case stays in its workflow"))
        }
        guard snapshot.status == .running else {
            return .refused(Refusal(.caseFinished, "case \(snapshot.caseID) is already \(snapshot.status.rawValue): only running cases are migrated"))
        }
        guard t >= snapshot.updatedAt else {
            return .refused(Refusal(.runtimeError, "case \(snapshot.caseID) was last changed at \(snapshot.updatedAt); a migration at \(t) would go back in time"))
        }
        do throws(Refusal) {
            var snap = snapshot
            snap.data = try migratedData(old, snapshot, plan, new, now: t)
            snap.people = try migratedPeople(snapshot, plan, old: old, new)
            snap.root = try migratedRegion(snapshot.root, to: 0, old: old, new: new, plan: plan, isRoot: true)
            snap.definitionHash = new.hash
            snap.workflowID = new.ir.id
            var run = Run(def: new, snap: snap, now: t, strict: true)
            try run.restoreTimersAndSignoffs(plan)
            let before = Run.openTaskKeys(new, run.snap)
            run.trace.append(TraceEntry(.event, "migrated from \(old.hash) to \(new.hash)"))
            // What the migration completed moves on now, as after any step.
            var complete: [Path] = []
            Run.forEachActive(run.snap.root) { p, a in if a.signoff != nil && Run.complete(a.signoff) { complete.append(p) } }
            for p in complete { _ = try run.exitThen(p) }
            try run.settle()
            run.snap.version += 1
            run.finish(before: before)
            return .accepted(Step(snapshot: run.snap, effects: run.effects, trace: run.trace, duplicate: false))
        } catch {
            return .refused(error)
        }
    }

    /// The old data on the new schema: fields the new version no longer has are dropped, the
    /// plan's values computed over the OLD data, and the result validated by the new version.
    static func migratedData(_ old: Definition, _ snapshot: CaseSnapshot, _ plan: MigrationPlanIR, _ new: Definition, now: Timestamp) throws(Refusal) -> [String: ValueIR] {
        var data = snapshot.data.filter { new.storage.fieldNames.contains($0.key) }
        for v in plan.values {
            let value = Definition.storedValue(try old.evaluateTopLevel(v.expr, data: snapshot.data, now: now))
            if value == .null { data.removeValue(forKey: v.field) } else { data[v.field] = value }
        }
        let (clean, issues) = new.validateData(data, fillableLater: new.storage.fillable, partial: false)
        guard issues.isEmpty else {
            throw Refusal(.invalidData, "the migrated data does not match the new version's schema", details: issues)
        }
        return clean.filter { $0.value != .null }
    }

    /// The people on the new roles: roles that are gone are dropped, the plan's people added;
    /// every role must be bound and the new separations must hold.
    static func migratedPeople(_ snapshot: CaseSnapshot, _ plan: MigrationPlanIR, old: Definition, _ new: Definition) throws(Refusal) -> [String: String] {
        let roles = Set(new.ir.roles.map(\.name))
        var people = snapshot.people.filter { roles.contains($0.key) }
        for (role, person) in plan.people where roles.contains(role) { people[role] = person }
        // A role both versions bind during the case (`assign:`) may still be unbound: the case's
        // own flow binds it. A new role needs the plan's person even when it is assigned later.
        let unbound = new.ir.roles.filter { role in
            (people[role.name] ?? "").isEmpty && !(role.assigned == true && old.ir.role(named: role.name)?.assigned == true)
        }
        if let first = unbound.first {
            throw Refusal(.unboundRole, "the new version's role `\(first.name)` has nobody in this case; name a person under `people:` in the plan", span: first.span,
                          details: unbound.map { "\($0.name) (\($0.title ?? $0.name)) is not bound to a person" })
        }
        if let r = Engine.separationRefusal(new, people) { throw r }
        return people
    }

    /// A region instance moved to region `to` of the new version.
    static func migratedRegion(_ r: RegionInstance, to region: Int, old: Definition, new: Definition, plan: MigrationPlanIR, isRoot: Bool) throws(Refusal) -> RegionInstance {
        guard new.ir.regions.indices.contains(region) else { throw Refusal(.runtimeError, "the new version has no region \(region)") }
        let newRegion = new.ir.regions[region]
        func mapped(_ name: String) -> String { plan.states[name] ?? name }
        var rounds = new.emptyRounds(region)
        for (name, n) in r.rounds.sorted(by: { $0.key < $1.key }) {
            let target = mapped(name)
            guard let s = new.ir.state(named: target), s.region == region else { continue }
            rounds[target] = max(rounds[target] ?? 0, n)
        }
        var out = RegionInstance(region: region, item: r.item, itemValue: r.itemValue, active: nil, rounds: rounds)
        guard let a = r.active else { return out }
        let target = mapped(a.name)
        guard let s = new.ir.state(named: target) else {
            throw Refusal(.runtimeError, "the plan maps state `\(a.name)` to `\(target)`, which the new version does not have")
        }
        guard s.region == region else {
            throw Refusal(.runtimeError, "state `\(a.name)` maps to `\(target)`, which is not in \(isRoot ? "the top level" : "`\(newRegion.name)`") of the new version", span: s.span)
        }
        guard s.kind != .choice else {
            throw Refusal(.runtimeError, "state `\(a.name)` maps to `\(target)`, a choice: a case never rests in a choice", span: s.span)
        }
        // The old timer and sign-off ride along until ``Run/restoreTimersAndSignoffs(_:)``
        // replaces them with the new version's.
        var active = ActiveState(state: s.id, name: s.name, enteredAt: a.enteredAt, signoff: a.signoff, timer: a.timer, children: [])
        active.reminder = a.reminder
        let oldKind = old.ir.state(named: a.name)?.kind
        switch s.kind {
        case .parallel:
            guard oldKind == .parallel else {
                throw Refusal(.runtimeError, "state `\(a.name)` maps to the parallel state `\(target)`, but it is not a parallel state", span: s.span)
            }
            // Branches by name; a branch of the new state that the case never had starts fresh.
            var children: [RegionInstance] = []
            for (i, rid) in s.regions.enumerated() {
                guard new.ir.regions.indices.contains(rid) else { throw Refusal(.runtimeError, "the new version has no region \(rid)", span: s.span) }
                let name = new.ir.regions[rid].name
                let match = a.children.first { old.ir.regions.indices.contains($0.region) && old.ir.regions[$0.region].name == name }
                    ?? (a.children.count == s.regions.count ? a.children[i] : nil)
                guard let match else {
                    throw Refusal(.runtimeError, "branch `\(name)` of `\(target)` has no branch of `\(a.name)` to continue from", span: s.span)
                }
                children.append(try migratedRegion(match, to: rid, old: old, new: new, plan: plan, isRoot: false))
            }
            active.children = children
        case .foreach:
            guard oldKind == .foreach, let body = s.regions.first else {
                throw Refusal(.runtimeError, "state `\(a.name)` maps to the foreach state `\(target)`, but it is not a foreach state", span: s.span)
            }
            var children: [RegionInstance] = []
            for c in a.children { children.append(try migratedRegion(c, to: body, old: old, new: new, plan: plan, isRoot: false)) }
            active.children = children
        default:
            guard oldKind != .parallel && oldKind != .foreach else {
                throw Refusal(.runtimeError, "the \(oldKind?.rawValue ?? "") state `\(a.name)` maps to `\(target)`, a \(s.kind.rawValue) state: its branches or items would be lost", span: s.span)
            }
        }
        out.active = active
        return out
    }
}

extension Run {
    /// Fills in the deadline, wait and sign-off of every migrated active state, from the old
    /// ones it carries, as the plan says: kept, recomputed from the time it was entered, or reset.
    mutating func restoreTimersAndSignoffs(_ plan: MigrationPlanIR) throws(Refusal) {
        var paths: [Path] = []
        Self.forEachActive(snap.root) { p, _ in paths.append(p) }
        for path in paths {
            let previous = try active(path)
            let s = try def.state(previous.state)
            var updated = previous
            updated.timer = nil
            updated.signoff = nil
            let a = previous
            let at = Run(def: def, snap: snap, now: a.enteredAt, strict: true)
            if let due = s.due {
                if plan.deadlines == .keep, let t = previous.timer, t.kind == .deadline {
                    updated.timer = TimerRecord(kind: .deadline, due: t.due, escalate: due.escalate.map(def.roleName),
                                                target: due.target.map { def.ir.states.indices.contains($0) ? def.state(known: $0).name : "#\($0)" },
                                                violation: due.violation, fired: t.fired, span: due.span)
                } else {
                    let when = try at.dueTime(due, path: path, region: s.region)
                    updated.timer = TimerRecord(kind: .deadline, due: when, escalate: due.escalate.map(def.roleName),
                                                target: due.target.map { def.ir.states.indices.contains($0) ? def.state(known: $0).name : "#\($0)" },
                                                violation: due.violation, fired: false, span: due.span)
                }
            }
            if s.kind == .wait, let w = s.wait {
                if plan.deadlines == .keep, let t = previous.timer, t.kind == .wait {
                    updated.timer = TimerRecord(kind: .wait, due: t.due, escalate: [], target: nil, violation: nil, fired: t.fired, span: s.span)
                } else {
                    updated.timer = TimerRecord(kind: .wait, due: try at.waitTime(w, path: path, region: s.region, span: s.span), escalate: [], target: nil,
                                                violation: nil, fired: false, span: s.span)
                }
            }
            // 催办 is a timer like a deadline: its progress kept (count and next due time), or
            // recomputed by the new schedule from the entry time (a due time already past is
            // sent at the next tick, as one reminder).
            updated.reminder = nil
            if let r = s.remind {
                if plan.deadlines == .keep, let kept = previous.reminder {
                    updated.reminder = kept
                } else {
                    let sent = previous.reminder?.sent ?? 0
                    let deadline = updated.timer?.kind == .deadline ? updated.timer?.due : nil
                    updated.reminder = ReminderProgress(sent: sent, next: try reminderDue(r, sent + 1, enteredAt: a.enteredAt, deadline: deadline))
                }
            }
            if s.kind == .signoff, let so = s.signoff {
                var required = so.all.map(def.roleName)
                for c in so.conditional {
                    let holds = try def.evaluateBool(c.condition, region: s.region, data: snap.data, items: items(path), now: now)
                    if holds, !required.contains(def.roleName(c.role)) { required.append(def.roleName(c.role)) }
                }
                let parties = Set(required + so.of.map(def.roleName))
                let kept = plan.signatures == .keep ? (previous.signoff?.signatures ?? []).filter { parties.contains($0.role) && snap.people[$0.role] == $0.person } : []
                updated.signoff = SignoffProgress(entering: so, required: required, roleName: def.roleName)
                updated.signoff?.signatures = kept
            }
            try modify(path) { r throws(Refusal) in r.active = updated }
        }
    }
}
