import WFCIR
import WFCDiagnostics

/// States that no path from the start reaches.
enum Unreachable: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for region in g.ir.regions {
            guard let start = region.start else { continue }
            let seen = g.reachable(from: start)
            for s in region.states where !seen.contains(s) {
                d.append(Diagnostic(UnreachableState(name: g.name(s)), at: g.span(s), label: "never entered",
                                    help: "add a transition to it, or remove it"))
            }
        }
    }
}

struct UnreachableState: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5002", name: "unreachable-state", summary: "A state can never be entered.",
        explanation: "No path from `start:` (or from the branch's `start:`) leads to this state, so the rule it encodes never applies. Usually a transition's `to:` names the wrong state.",
        example: "start: apply\nstates:\n  apply: {on: {submit: {by: handover, to: done}}}\n  review: {on: {approve: {by: manager, to: done}}}\n  done: {final: completed}\n",
        fix: "start: apply\nstates:\n  apply: {on: {submit: {by: handover, to: review}}}\n  review: {on: {approve: {by: manager, to: done}}}\n  done: {final: completed}\n")
    var name: String
    var message: String { "state `\(name)` is unreachable from the start" }
}
