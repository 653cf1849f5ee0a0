import WFCDiagnostics

/// The codes of `wfc test` (phase 8: scenarios).
public enum ScenarioDiagnostics {
    public static let all: [DiagnosticDescriptor] = [
        ScenarioSyntax.descriptor, ScenarioWorkflow.descriptor, ScenarioTime.descriptor,
        UnexpectedRefusal.descriptor, MissingRefusal.descriptor, WrongRefusal.descriptor, ExpectationFailed.descriptor,
        InvalidScenarioSubstitute.descriptor,
    ]
}

struct ScenarioSyntax: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC8001", name: "scenario-syntax", summary: "A scenario file is not written as docs/testing.md describes.",
        explanation: "A scenario file has `scenarios:`, a list of scenarios; each has a `name`, the people bound to roles, case data and `steps`. Unknown keys, wrong value kinds and missing keys are reported here, with a suggestion where one is close.",
        example: "scenarios:\n  - name: happy path\n    step:\n      - fire: submit\n", fix: "scenarios:\n  - name: happy path\n    steps:\n      - fire: submit\n        as: zhang.san\n")
    var message: String
}

public struct ScenarioWorkflow: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC8002", name: "scenario-workflow", summary: "The workflow under test cannot be read or does not compile.",
        explanation: "`NAME.test.yaml` tests `NAME.yaml` in the same folder unless it names `workflow:`. The workflow's own errors follow this diagnostic.",
        example: "workflow: company-handvoer.yaml\n", fix: "workflow: company-handover.yaml\n")
    public var message: String
    public init(message: String) { self.message = message }
}

struct ScenarioTime: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC8003", name: "scenario-time", summary: "A time or duration in a scenario cannot be used.",
        explanation: "Times are RFC 3339 (`2025-09-26T10:00:00+08:00`) or dates (`2025-09-26`, 09:00 in the calendar's time zone); durations are like `3 working days` or `2 hours`. The clock never goes back, and working days need calendar data for the year.",
        example: "- after: three days\n", fix: "- after: 3 working days\n")
    var message: String
}

public struct UnexpectedRefusal: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC8004", name: "unexpected-refusal", summary: "A step was refused that the scenario expects to be accepted.",
        explanation: "The runtime refused the event (or the start). The refusal follows as its own diagnostic, pointing at the policy line. If the refusal is what the scenario means to show, add `refused: REASON` to the step.",
        example: "- fire: approve\n  as: zhang.san\n", fix: "- fire: approve\n  as: zhang.san\n  refused: not-authorized\n")
    public var message: String
    public init(message: String) { self.message = message }
}

struct MissingRefusal: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC8005", name: "missing-refusal", summary: "A step was accepted that the scenario expects to be refused.",
        explanation: "The scenario says `refused:`, but the runtime accepted the event: the rule the scenario means to show is not enforced, or the step is not the one intended.",
        example: "- fire: approve\n  as: wang.wu\n  refused: not-authorized\n", fix: "- fire: approve\n  as: zhang.san\n  refused: not-authorized\n")
    var message: String
}

struct WrongRefusal: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC8006", name: "wrong-refusal", summary: "A step was refused for another reason than the scenario expects.",
        explanation: "The step was refused, but with another reason, or its message does not contain the expected text.",
        example: "refused: guard-false   # but the sender was not authorized\n", fix: "refused: not-authorized\n")
    var message: String
}

struct ExpectationFailed: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC8007", name: "expectation-failed", summary: "An `expect:` entry does not hold after its step.",
        explanation: "The message shows what was expected and what the case actually has: active states, outcome, open tasks, signatures, escalations, violations, data, deadlines or checklist progress.",
        example: "expect: {state: review}\n", fix: "expect: {state: execute}\n")
    var message: String
}
