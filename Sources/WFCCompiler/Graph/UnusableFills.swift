import WFCIR
import WFCDiagnostics

/// `fills` on a state that no event can leave: only events carry data, so nothing can ever
/// fill those fields there (a sign-off's `sign` carries none).
enum UnusableFills: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states where !s.fills.isEmpty && s.transitions.isEmpty {
            let names = s.fills.compactMap { id in g.ir.fields.first { $0.id == id }?.name }
            let hint = s.kind == .signoff
                ? "fill the fields in a task before the sign-off (an event such as `handed_over`), then sign"
                : "move `fills` to a state with an event under `on:`"
            d.append(Diagnostic(UnusableFillsMessage(name: s.name, kind: s.kind.rawValue, fields: names), at: g.source(s.span),
                                label: "no event can carry data here", help: hint))
        }
    }
}

struct UnusableFillsMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5015", severity: .warning, name: "unusable-fills", summary: "A state fills fields but has no event that could carry them.",
        explanation: "Fields are filled by the data of an event. A state without events under `on:` — a sign-off (whose `sign` carries no data), a choice, a wait, or a task that moves on by itself — can never fill anything, so its `fills` is dead and the fields stay empty.",
        example: "states:\n  confirm:\n    signoff: {all: [handover, receiver]}\n    fills: [materials]\n    then: done\n",
        fix: "states:\n  hand_over:\n    fills: [materials]\n    on: {handed_over: {by: receiver, to: confirm}}\n  confirm:\n    signoff: {all: [handover, receiver]}\n    then: done\n")
    var name: String
    var kind: String
    var fields: [String]
    var message: String { "`\(name)` (\(kind)) fills \(fields.map { "`\($0)`" }.joined(separator: ", ")), but it has no event that could carry them" }
}
