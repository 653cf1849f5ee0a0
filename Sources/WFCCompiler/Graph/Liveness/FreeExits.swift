import WFCIR

/// The quick half of the liveness proof: a region whose every state has a way on that nothing
/// can block, and from which such ways lead to the end, is live without exploring anything.
/// Most regions are. A way on is free when each condition of its guard and requirements reads
/// a field the acting person fills in that step (the full proof relies on the same), and it
/// enters no round limit that could refuse it (one with `then:` counts when both the state and
/// the `then:` lead on freely).
struct FreeExits {
    let g: GraphModel

    /// Field ids by name, for reading conditions.
    private let fieldIDs: [String: Int]

    init(_ g: GraphModel) {
        self.g = g
        var ids: [String: Int] = [:]
        for f in g.ir.fields where ids[f.name] == nil { ids[f.name] = f.id }
        fieldIDs = ids
    }

    /// Whether every conjunct of the requirements and the guard reads a field in `fillable`.
    private func controllable(_ requires: [RequirementIR], _ guardExpr: ExprIR?, fillable: [Int]) -> Bool {
        if requires.isEmpty && guardExpr == nil { return true }
        if fillable.isEmpty { return false }
        func expr(_ e: ExprIR) -> Bool {
            ConditionTable.conjuncts(of: e.source).allSatisfy { c in
                if let f = c.allDoneField { return fieldIDs[f].map(fillable.contains) ?? false }
                return c.fieldNames.contains { fieldIDs[$0].map(fillable.contains) ?? false }
            }
        }
        for r in requires {
            switch r {
            case .allDone(let field, _, _): if !fillable.contains(field) { return false }
            case .expression(let e, _): if !expr(e) { return false }
            }
        }
        return guardExpr.map(expr) ?? true
    }

    /// Whether every state of the region reaches a final state (or `join`) by free ways on:
    /// a backward search from the ends, linear in the region's size.
    func finishes(region: Int) -> Bool {
        let ir = g.ir
        let members = ir.regions[region].states.filter { ir.states.indices.contains($0) }
        guard !members.isEmpty else { return true }
        // Each state's place in the region, by state id (-1 outside it): an array, not a dictionary.
        var place = [Int](repeating: -1, count: ir.states.count)
        for (i, s) in members.enumerated() { place[s] = i }
        func position(_ s: Int) -> Int? { place.indices.contains(s) && place[s] >= 0 ? place[s] : nil }
        // For each member: the free targets it needs (all of them for a choice, any one
        // otherwise), and whether a free step ends the region outright.
        var needed = [Int](repeating: 0, count: members.count)
        var preds = [[Int]](repeating: [], count: members.count)
        var done = [Bool](repeating: false, count: members.count)
        var queue: [Int] = []
        for (i, s) in members.enumerated() {
            let st = ir.states[s]
            if st.isFinal {
                done[i] = true
                queue.append(i)
                continue
            }
            var targets: [Int?] = []
            var ends = false
            var blocked = false
            // A step's targets, all of which must lead on: the state entered, and where a used-up
            // round limit sends the step instead. A limit without `then:` may refuse: not free.
            func targetsOf(_ target: Int?, join: Bool) -> [Int]? {
                guard let t = target else { return join ? [] : nil }
                guard ir.states.indices.contains(t), let p = position(t) else { return nil }
                guard ir.states[t].maxRounds != nil else { return [p] }
                guard let limit = ir.states[t].roundLimit, limit.redirects else { return nil }
                guard let r = limit.target else { return limit.join ? [p] : nil }
                guard ir.states.indices.contains(r), ir.states[r].maxRounds == nil, let q = position(r) else { return nil }
                return [p, q]
            }
            // Steps with several targets: each needs all of them (a group of its own).
            var groups: [[Int]] = []
            func add(_ target: Int?, join: Bool) {
                guard let ts = targetsOf(target, join: join) else {
                    blocked = true
                    return
                }
                if ts.isEmpty { ends = true } else if ts.count == 1 { targets.append(ts[0]) } else { groups.append(ts) }
            }
            if st.kind == .choice {
                for arm in st.choice { add(arm.target, join: arm.target == nil) }
                if let o = st.otherwise { add(o, join: false) }
                // The data picks the arm: every arm must finish.
                if blocked || (targets.isEmpty && !ends) { continue }
                let distinct = Array(Set(targets.compactMap { $0 }))
                if distinct.isEmpty {
                    done[i] = true
                    queue.append(i)
                    continue
                }
                needed[i] = distinct.count
                for p in distinct { preds[p].append(i) }
                continue
            }
            if let due = st.due, due.target != nil { add(due.target, join: false) }
            // In a foreach body a condition may read the item, which nobody fills: only the
            // full proof reads those.
            let plain = ir.regions[region].alias == nil && ir.regions[region].owner == nil
            for t in st.transitions where (st.requires.isEmpty && t.guardExpr == nil && t.requires.isEmpty)
                || (plain && controllable(st.requires + t.requires, t.guardExpr, fillable: st.fills + t.fills)) {
                add(t.target, join: t.join)
            }
            if st.requires.isEmpty, st.then != nil || st.thenJoin { add(st.then, join: st.thenJoin) }
            if ends {
                done[i] = true
                queue.append(i)
                continue
            }
            // Single-target steps: any one will do. A step with two targets is tracked as one
            // "any" entry per target here, which would be too lenient: so a state whose only
            // free steps have two targets waits for both (below).
            if !groups.isEmpty && targets.isEmpty {
                let both = Array(Set(groups[0]))
                needed[i] = both.count
                for p in both { preds[p].append(i) }
                continue
            }
            needed[i] = 1
            for case let p? in targets where !preds[p].contains(i) { preds[p].append(i) }
        }
        var k = 0
        while k < queue.count {
            let p = queue[k]
            k += 1
            for q in preds[p] where !done[q] {
                needed[q] -= 1
                if needed[q] == 0 {
                    done[q] = true
                    queue.append(q)
                }
            }
        }
        return queue.count == members.count
    }
}
