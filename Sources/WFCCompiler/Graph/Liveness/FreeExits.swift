import WFCIR

/// The quick half of the liveness proof: a region whose every state has a way on that nothing
/// can block (no guard, no requirement, not into a round limit), and from which such ways
/// lead to the end, is live without exploring anything. Most regions are.
struct FreeExits {
    let g: GraphModel

    init(_ g: GraphModel) { self.g = g }

    /// Whether every state of the region reaches a final state (or `join`) by free ways on:
    /// a backward search from the ends, linear in the region's size.
    func finishes(region: Int) -> Bool {
        let ir = g.ir
        let members = ir.regions[region].states.filter { ir.states.indices.contains($0) }
        guard !members.isEmpty else { return true }
        var position: [Int: Int] = [:]
        position.reserveCapacity(members.count)
        for (i, s) in members.enumerated() { position[s] = i }
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
            func add(_ target: Int?, join: Bool) {
                guard let t = target else {
                    if join { ends = true } else { blocked = true }
                    return
                }
                // A round limit may refuse (or redirect) the step: not free.
                guard ir.states.indices.contains(t), ir.states[t].maxRounds == nil, let p = position[t] else {
                    blocked = true
                    return
                }
                targets.append(p)
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
            if st.requires.isEmpty {
                for t in st.transitions where t.guardExpr == nil && t.requires.isEmpty { add(t.target, join: t.join) }
                if st.then != nil || st.thenJoin { add(st.then, join: st.thenJoin) }
            }
            if ends {
                done[i] = true
                queue.append(i)
                continue
            }
            needed[i] = 1
            for p in Set(targets.compactMap { $0 }) { preds[p].append(i) }
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
