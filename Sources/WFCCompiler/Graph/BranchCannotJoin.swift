import WFCIR
import WFCDiagnostics

/// A parallel branch or foreach body from whose start no `to: join` is reachable.
enum BranchCannotJoin: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for region in g.ir.regions.dropFirst() {
            guard let start = region.start else { continue }
            let seen = g.reachable(from: start)
            let joins = seen.order.contains { s in g.edges[s].contains { $0.join } || g.ir.states[s].isFinal }
            if !joins {
                let owner = region.owner.map { g.ir.states[$0] }
                let what = owner?.kind == .foreach ? "the foreach body of `\(owner?.name ?? "")`" : "branch `\(region.name)`"
                d.append(Diagnostic(
                    BranchCannotJoinMessage(what: what), at: g.span(start), label: "starts here",
                    secondary: owner.map { [Label(g.source($0.span), "owned by this state")] } ?? [],
                    help: "end the branch with a transition `to: join`"))
            }
        }
    }
}

struct BranchCannotJoinMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5006", name: "branch-cannot-join", summary: "A parallel branch or foreach body can never finish.",
        explanation: "The owning state waits for every branch (every item, for `foreach`) to reach `join`. When no path from a branch's start reaches `to: join`, the owning state can never complete.",
        example: "parallel:\n  assets:\n    start: return_assets\n    states:\n      return_assets: {on: {returned: {by: handover, to: return_assets}}}\n",
        fix: "parallel:\n  assets:\n    start: return_assets\n    states:\n      return_assets: {on: {returned: {by: handover, to: join}}}\n")
    var what: String
    var message: String { "\(what) can never reach `join`" }
}
