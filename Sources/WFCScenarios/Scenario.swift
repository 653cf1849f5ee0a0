import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCRuntime

/// A scenario file (`NAME.test.yaml`): the scenarios of one workflow. See docs/testing.md.
public struct ScenarioFile: Sendable {
    public var path: String
    /// The workflow under test, resolved against the scenario file's folder.
    public var workflowPath: String
    public var workflowSpan: SourceSpan
    public var scenarios: [Scenario]
}

/// One case run from start to its last step, with expectations along the way.
public struct Scenario: Sendable {
    public var name: String
    public var span: SourceSpan
    /// The clock at case start, as written (parsed against the workflow's calendar).
    public var start: Timed?
    public var people: [String: String]
    public var data: [String: ValueIR]
    /// The start itself is expected to be refused.
    public var refused: ExpectedRefusal?
    /// Where `people:` and `data:` are written, for start refusals about them.
    public var peopleSpan: SourceSpan?
    public var dataSpan: SourceSpan?
    public var steps: [ScenarioStep]
}

/// Text with its position, kept until the workflow's time zone is known.
public struct Timed: Sendable {
    public var text: String
    public var span: SourceSpan

    public init(text: String, span: SourceSpan) {
        self.text = text
        self.span = span
    }
}

/// What a step does.
public enum StepAction: Sendable {
    /// Sends an event.
    case fire(name: String, actor: String, role: String?, item: Int?, payload: [String: ValueIR], key: String?)
    /// Fires whatever is overdue at the step's time.
    case tick
    /// Only moves the clock or checks expectations.
    case none
}

/// How a step moves the clock before it acts.
public enum ClockMove: Sendable {
    case at(Timed)
    case after(DurationSyntax, SourceSpan)
}

/// One step of a scenario.
public struct ScenarioStep: Sendable {
    public var action: StepAction
    public var span: SourceSpan
    public var clock: ClockMove?
    public var refused: ExpectedRefusal?
    public var expectations: [Expectation]
    /// `assign: {ROLE: PERSON}` of a `fire` step: the people the event binds.
    public var assign: [String: String]? = nil
    /// A `reassign:` step (its action fires ``Event/reassign``).
    public var reassignment: Reassignment? = nil
    /// `for: PERSON` on a `fire` step: the event is sent as that person's substitute (代理).
    public var actingFor: String? = nil
    /// A `substitute:` step: names a substitute from the step's time (or `from`) on.
    public var substitution: ScenarioSubstitution? = nil
}

/// `- substitute: li.si` / `for: wang.wu` / `until: 2025-10-07` (`from:` optional: the step's
/// time): while it lasts, `fire … as: li.si, for: wang.wu` acts for wang.wu.
public struct ScenarioSubstitution: Sendable {
    public var substitute: String
    public var person: String
    public var from: Timed?
    public var until: Timed
    public var span: SourceSpan

    public init(substitute: String, person: String, from: Timed?, until: Timed, span: SourceSpan) {
        self.substitute = substitute
        self.person = person
        self.from = from
        self.until = until
        self.span = span
    }
}

/// `refused: not-authorized` or `refused: {reason: …, message: …}`.
public struct ExpectedRefusal: Sendable {
    public var kind: Refusal.Kind?
    public var messageContains: String?
    public var span: SourceSpan
}

/// One expected fact after a step.
public struct Expectation: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case state, states, outcome, tasks, signatures, escalations, violations, data, due, checklists
        /// Reminders (催办) sent so far: a count or `[{state, to, count}]`.
        case reminders
        /// Copies (抄送) sent so far: a count or `[{state, on, to}]`.
        case copies
    }
    public var kind: Kind
    public var value: ValueIR
    public var span: SourceSpan
}
