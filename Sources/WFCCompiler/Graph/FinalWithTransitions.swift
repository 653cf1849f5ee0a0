import WFCIR
import WFCDiagnostics

/// Final states must not have transitions out.
enum FinalWithTransitions: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states where s.isFinal {
            let out = g.edges[s.id]
            guard !out.isEmpty || !s.transitions.isEmpty else { continue }
            let spans = s.transitions.map { g.source($0.span) }
            d.append(Diagnostic(
                FinalWithTransitionsMessage(name: s.name, outcome: s.outcome ?? "final"), at: g.source(s.span), label: "final state",
                secondary: spans.map { Label($0, "transition out of a final state") },
                help: "remove the transitions, or make the state a task that leads to a final state"))
        }
    }
}

struct FinalWithTransitionsMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5005", name: "final-with-transitions", summary: "A final state has transitions out.",
        explanation: "A final state ends the case with its outcome (completed, rejected, cancelled, withdrawn). Events, `then:` or overdue transitions on it could never fire.",
        example: "states:\n  done:\n    final: completed\n    on: {reopen: {by: hr, to: review}}\n",
        fix: "states:\n  done:\n    final: completed\n")
    var name: String
    var outcome: String
    var message: String { "final state `\(name)` (\(outcome)) has transitions out" }
}
