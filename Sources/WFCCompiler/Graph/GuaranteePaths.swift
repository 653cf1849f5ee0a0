import WFCIR

/// The guarantee proof of ``UnenforcedGuarantee`` asked from one state instead of the start:
/// for a migration, whether a case that continues in `state` can still reach a `completed`
/// final state without passing what a guarantee requires.
public enum GuaranteePaths {
    /// One guarantee that a case continuing in a state could skip.
    public struct Skip: Sendable, Equatable {
        /// Index into `ir.guarantees`.
        public var guarantee: Int
        /// The completed final state reached without it.
        public var final: String
        /// The path, as `review —approve→ done`.
        public var path: String
    }

    /// The guarantees of `ir` (those at `indices`) that some path from `state` to a completed
    /// final state does not enforce. A state inside a parallel branch or foreach body is
    /// judged in its own branch first: the case skips the guarantee when it can reach the
    /// branch's `join` without it, no other branch of the same parallel state enforces it on
    /// every path from its start, and the flow after the owning state can reach a completed
    /// final without it too. (Other items of a foreach are not counted on: they may be past
    /// their enforcing step.)
    public static func skipped(_ ir: WorkflowIR, from state: Int, guarantees indices: [Int]) -> [Skip] {
        guard ir.states.indices.contains(state) else { return [] }
        let g = GraphModel(ir, path: ir.file)
        var out: [Skip] = []
        for i in indices where ir.guarantees.indices.contains(i) {
            let goal: UnenforcedGuarantee.Goal
            switch ir.guarantees[i] {
            case .checklist(let f, _, _): goal = .checklist(f)
            case .signoff(let roles, _, _): goal = .signoff(roles)
            }
            if let skip = skip(g, goal, from: state) {
                out.append(Skip(guarantee: i, final: skip.final, path: skip.path))
            }
        }
        return out
    }

    /// The completed final a case in `state` can reach without `goal`, and the path, walking out
    /// of nested branches through their owners.
    static func skip(_ g: GraphModel, _ goal: UnenforcedGuarantee.Goal, from state: Int) -> (final: String, path: String)? {
        let ir = g.ir
        var current = state
        // The composite state whose `then` is followed without counting its branches.
        var leftOwner: Int?
        var walked: [String] = []
        while true {
            let owner = leftOwner
            let reach = g.reachable(from: current) { e in
                if e.from == owner, case .then = e.kind { return !enforcesOutsideBranches(e, goal, g) }
                return !UnenforcedGuarantee.enforces(e, goal, g)
            }
            if let bad = reach.order.first(where: { ir.states[$0].isFinal && ir.states[$0].outcome == "completed" }) {
                walked.append(g.describe(g.path(to: bad, reach)))
                return (ir.states[bad].name, walked.joined(separator: " —join→ "))
            }
            let region = ir.states[current].region
            guard region != 0, ir.regions.indices.contains(region), let next = ir.regions[region].owner, ir.states.indices.contains(next) else { return nil }
            // The branch ends without the guarantee when `join` is reachable past no enforcing step.
            guard let exit = reach.order.first(where: { s in g.edges[s].contains { $0.join && !UnenforcedGuarantee.enforces($0, goal, g) } }) else { return nil }
            // A sibling branch that enforces it from its start does so before the join, wherever
            // it is (a state of it past that step is judged by its own call).
            let owning = ir.states[next]
            if owning.kind == .parallel, owning.regions.contains(where: { $0 != region && UnenforcedGuarantee.regionEnforces($0, goal, g) }) { return nil }
            walked.append(g.describe(g.path(to: exit, reach)))
            current = next
            leftOwner = next
        }
    }

    /// What a composite state's `then` enforces apart from its branches: its own requirements.
    static func enforcesOutsideBranches(_ e: GraphModel.Edge, _ goal: UnenforcedGuarantee.Goal, _ g: GraphModel) -> Bool {
        let s = g.ir.states[e.from]
        switch goal {
        case .checklist(let f):
            let name = g.ir.fields[f].name
            return s.requires.contains { UnenforcedGuarantee.requirement($0, f, name) }
        case .signoff:
            return false
        }
    }
}
