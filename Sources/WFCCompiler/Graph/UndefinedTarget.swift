import WFCIR
import WFCDiagnostics

/// A transition, choice arm, `then`, `start` or overdue action names a state that does not
/// exist. Found while names are resolved; reported with a did-you-mean.
enum UndefinedTarget {
    static func diagnostic(_ name: Spanned<String>, known: [String]) -> Diagnostic {
        let suggestion = Suggestions.closest(to: name.value, among: known)
        return Diagnostic(
            UndefinedTargetMessage(name: name.value), at: name.span, label: "no such state",
            help: suggestion.map { "did you mean `\($0)`?" } ?? "define the state under `states:`",
            fixIts: suggestion.map { [FixIt("use the existing state", replacing: name.span, with: $0)] } ?? [])
    }

    static var descriptor: DiagnosticDescriptor { UndefinedTargetMessage.descriptor }
}

struct UndefinedTargetMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5001", name: "undefined-target", summary: "A transition goes to a state that does not exist.",
        explanation: "Every `to:`, `then:`, `start:`, choice target and overdue `to:` must name a state defined under `states:` (in the same branch, for states inside `parallel` or `foreach`).",
        example: "start: apply\nstates:\n  apply: {on: {submit: {by: handover, to: prepar}}}\n  prepare: {final: completed}\n",
        fix: "start: apply\nstates:\n  apply: {on: {submit: {by: handover, to: prepare}}}\n  prepare: {final: completed}\n")
    var name: String
    var message: String { "no state is called `\(name)`" }
}
