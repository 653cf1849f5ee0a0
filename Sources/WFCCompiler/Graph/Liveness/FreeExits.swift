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

    /// Whether every conjunct of the requirements (`stateRequires` then `requires`) and the
    /// guard reads a field in `stateFills` or `fills`. Two lists each, not their
    /// concatenations: this runs for every step of every state.
    private func controllable(_ stateRequires: [RequirementIR], _ requires: [RequirementIR], _ guardExpr: ExprIR?,
                              fillable stateFills: [Int], _ fills: [Int]) -> Bool {
        if stateRequires.isEmpty && requires.isEmpty && guardExpr == nil { return true }
        if stateFills.isEmpty && fills.isEmpty { return false }
        func fillable(_ f: Int) -> Bool { stateFills.contains(f) || fills.contains(f) }
        func expr(_ e: ExprIR) -> Bool {
            ConditionTable.conjuncts(of: e.source).allSatisfy { c in
                if let f = c.allDoneField { return fieldIDs[f].map(fillable) ?? false }
                return c.fieldNames.contains { fieldIDs[$0].map(fillable) ?? false }
            }
        }
        func holds(_ r: RequirementIR) -> Bool {
            switch r {
            case .allDone(let field, _, _): fillable(field)
            case .expression(let e, _): expr(e)
            }
        }
        for r in stateRequires where !holds(r) { return false }
        for r in requires where !holds(r) { return false }
        return guardExpr.map(expr) ?? true
    }

    /// Where a step leads, for the search: blocked, out of the region (it ends), to one
    /// member, or to two (the state entered and where its used-up round limit sends the step).
    private enum Step {
        case blocked, ends, one(Int), two(Int, Int)
    }

    /// The free steps of one state, gathered before they are linked. Kept across states so
    /// that its list is allocated once per search.
    private struct Gathered {
        var singles: [Int] = []
        /// The first step with two targets.
        var pair: (Int, Int)?
        var ends = false
        var blocked = false

        mutating func reset() {
            singles.removeAll(keepingCapacity: true)
            pair = nil
            ends = false
            blocked = false
        }

        mutating func add(_ step: Step) {
            switch step {
            case .blocked: blocked = true
            case .ends: ends = true
            case .one(let p): singles.append(p)
            case .two(let p, let q): if pair == nil { pair = (p, q) }
            }
        }
    }

    /// Whether every state of the region reaches a final state (or `join`) by free ways on:
    /// a backward search from the ends, linear in the region's size. Allocates a few arrays
    /// per region, none per state: this runs for every region of every file.
    func finishes(region: Int) -> Bool {
        let ir = g.ir
        let members = ir.regions[region].states.filter { ir.states.indices.contains($0) }
        guard !members.isEmpty else { return true }
        // Each state's place in the region, by state id (-1 outside it): an array, not a dictionary.
        var placeOf = [Int](repeating: -1, count: ir.states.count)
        for (i, s) in members.enumerated() { placeOf[s] = i }
        let place = placeOf
        func position(_ s: Int) -> Int? { place.indices.contains(s) && place[s] >= 0 ? place[s] : nil }
        // A step's targets, all of which must lead on: the state entered, and where a used-up
        // round limit sends the step instead. A limit without `then:` may refuse: not free.
        func step(_ target: Int?, join: Bool) -> Step {
            guard let t = target else { return join ? .ends : .blocked }
            guard ir.states.indices.contains(t), let p = position(t) else { return .blocked }
            guard ir.states[t].maxRounds != nil else { return .one(p) }
            guard let limit = ir.states[t].roundLimit, limit.redirects else { return .blocked }
            guard let r = limit.target else { return limit.join ? .one(p) : .blocked }
            guard ir.states.indices.contains(r), ir.states[r].maxRounds == nil, let q = position(r) else { return .blocked }
            return .two(p, q)
        }
        // For each member: how many of its free targets must finish first (all of them for a
        // choice, any one otherwise), and the members waiting on it, as linked lists in flat
        // arrays (`head` by member, then `next`).
        var needed = [Int](repeating: 0, count: members.count)
        var done = [Bool](repeating: false, count: members.count)
        var head = [Int](repeating: -1, count: members.count)
        var waiter: [Int] = [], next: [Int] = []
        waiter.reserveCapacity(2 * members.count)
        next.reserveCapacity(2 * members.count)
        var queue: [Int] = []
        queue.reserveCapacity(members.count)
        var gathered = Gathered()
        for (i, s) in members.enumerated() {
            let st = ir.states[s]
            if st.isFinal {
                done[i] = true
                queue.append(i)
                continue
            }
            gathered.reset()
            // Links member `i` as waiting on `p`, once: `i`'s links are made together, so an
            // earlier one for the same `p` is at the head of its list. Returns whether it is new.
            func link(_ p: Int) -> Bool {
                if head[p] >= 0 && waiter[head[p]] == i { return false }
                waiter.append(i)
                next.append(head[p])
                head[p] = waiter.count - 1
                return true
            }
            if st.kind == .choice {
                for arm in st.choice { gathered.add(step(arm.target, join: arm.target == nil)) }
                if let o = st.otherwise { gathered.add(step(o, join: false)) }
                // The data picks the arm: every arm must finish.
                if gathered.blocked || (gathered.singles.isEmpty && !gathered.ends) { continue }
                var distinct = 0
                for p in gathered.singles where link(p) { distinct += 1 }
                if distinct == 0 {
                    done[i] = true
                    queue.append(i)
                    continue
                }
                needed[i] = distinct
                continue
            }
            if let due = st.due, due.target != nil { gathered.add(step(due.target, join: false)) }
            // In a foreach body a condition may read the item, which nobody fills: only the
            // full proof reads those.
            let plain = ir.regions[region].alias == nil && ir.regions[region].owner == nil
            for t in st.transitions where (st.requires.isEmpty && t.guardExpr == nil && t.requires.isEmpty)
                || (plain && controllable(st.requires, t.requires, t.guardExpr, fillable: st.fills, t.fills)) {
                gathered.add(step(t.target, join: t.join))
            }
            if st.requires.isEmpty, st.then != nil || st.thenJoin { gathered.add(step(st.then, join: st.thenJoin)) }
            if gathered.ends {
                done[i] = true
                queue.append(i)
                continue
            }
            // Single-target steps: any one will do. A step with two targets is tracked as one
            // "any" entry per target here, which would be too lenient: so a state whose only
            // free steps have two targets waits for both (below).
            if let pair = gathered.pair, gathered.singles.isEmpty {
                var both = 0
                if link(pair.0) { both += 1 }
                if link(pair.1) { both += 1 }
                needed[i] = both
                continue
            }
            needed[i] = 1
            for p in gathered.singles { _ = link(p) }
        }
        var k = 0
        while k < queue.count {
            let p = queue[k]
            k += 1
            var e = head[p]
            while e >= 0 {
                let q = waiter[e]
                e = next[e]
                if done[q] { continue }
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
