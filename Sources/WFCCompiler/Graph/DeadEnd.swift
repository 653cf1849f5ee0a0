import WFCIR
import WFCDiagnostics

/// Non-final states with no way out at all.
enum DeadEnd: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states where !s.isFinal && g.edges[s.id].isEmpty {
            let hint: String
            switch s.kind {
            case .signoff, .parallel, .foreach, .wait: hint = "add `then:` to say where the flow goes when the \(s.kind.rawValue) is complete"
            case .choice: hint = "give the choice at least one arm"
            default: hint = "add an event under `on:`, or make it a final state with `final: completed`"
            }
            d.append(Diagnostic(DeadEndState(name: s.name), at: g.source(s.span), label: "no way out", help: hint))
        }
    }
}

struct DeadEndState: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5003", name: "dead-end", summary: "A state that is not final has no way out.",
        explanation: "A case that enters this state stays there forever: it has no event, no `then:` and no overdue transition, and it is not a final state.",
        example: "states:\n  archive: {title: 归档}\n",
        fix: "states:\n  archive: {title: 归档, on: {archived: {by: hr, to: done}}}\n  done: {final: completed}\n")
    var name: String
    var message: String { "state `\(name)` is a dead end: it is not final and has no way out" }
}
