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
    /// final state does not enforce. A state inside a branch or foreach body is judged by the
    /// top-level state that holds it.
    public static func skipped(_ ir: WorkflowIR, from state: Int, guarantees indices: [Int]) -> [Skip] {
        guard ir.states.indices.contains(state) else { return [] }
        let g = GraphModel(ir, path: ir.file)
        var top = state
        while ir.states.indices.contains(top), ir.states[top].region != 0,
              ir.regions.indices.contains(ir.states[top].region), let owner = ir.regions[ir.states[top].region].owner {
            top = owner
        }
        var out: [Skip] = []
        for i in indices where ir.guarantees.indices.contains(i) {
            let goal: UnenforcedGuarantee.Goal
            switch ir.guarantees[i] {
            case .checklist(let f, _, _): goal = .checklist(f)
            case .signoff(let roles, _, _): goal = .signoff(roles)
            }
            let reach = g.reachable(from: top) { !UnenforcedGuarantee.enforces($0, goal, g) }
            guard let bad = reach.order.first(where: { ir.states[$0].isFinal && ir.states[$0].outcome == "completed" }) else { continue }
            out.append(Skip(guarantee: i, final: ir.states[bad].name, path: g.describe(g.path(to: bad, reach))))
        }
        return out
    }
}
