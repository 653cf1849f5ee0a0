import Foundation
import WFCCalendar
import WFCDiagnostics
import WFCIR
import WFCRuntime

/// The outcome of one scenario.
public struct ScenarioResult: Sendable {
    public var file: String
    public var name: String
    public var span: SourceSpan
    /// Expectations that did not hold, unexpected refusals and the like; empty when it passed.
    public var failures: [Diagnostic]
    public var steps: Int
    public var passed: Bool { failures.isEmpty }
}

/// What the scenarios of one workflow exercised.
public struct Coverage: Sendable {
    public var workflow: String
    public var statesEntered: Set<String> = []
    /// Event transitions taken, by their span in the policy.
    public var transitionsTaken: Set<SpanIR> = []

    public init(workflow: String) {
        self.workflow = workflow
    }
}

/// Runs scenarios in memory through the same engine as `wfc case`.
public struct ScenarioRunner {
    public var workflow: LoadedWorkflow
    /// Sees every step's outcome with a description of the step (for `wfc run`'s trace).
    public var observe: (@Sendable (_ step: String, _ result: StepResult, _ now: Date) -> Void)?
    /// Stop a scenario at the first unexpected refusal (tests) or go on with the same case (`wfc run`).
    public var stopOnRefusal = true
    /// Used when a scenario gives no `start`: a Monday morning with calendar data.
    public static let defaultStart = "2025-03-03T09:00:00+08:00"

    public init(workflow: LoadedWorkflow) {
        self.workflow = workflow
    }

    var def: Definition { workflow.definition }
    var timeZone: TimeZone { def.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current }

    /// Runs every scenario of `file`, adding what they exercised to `coverage`.
    public func run(_ file: ScenarioFile, coverage: inout Coverage) -> [ScenarioResult] {
        file.scenarios.enumerated().map { i, s in run(s, file: file.path, index: i, coverage: &coverage) }
    }

    public func run(_ s: Scenario, file: String, index: Int, coverage: inout Coverage) -> ScenarioResult {
        var failures: [Diagnostic] = []
        var result: ScenarioResult { ScenarioResult(file: file, name: s.name, span: s.span, failures: failures, steps: s.steps.count) }
        let startText = s.start ?? Timed(text: Self.defaultStart, span: s.span)
        guard var now = ClockText.parse(startText.text, timeZone: timeZone) else {
            failures.append(Diagnostic(ScenarioTime(message: "`\(startText.text)` is not a time"), at: startText.span, help: "write \(ClockText.forms)"))
            return result
        }
        let started = Engine.start(def, caseID: "scenario-\(index + 1)", data: s.data, people: s.people, now: now)
        observe?("start", started, now)
        var snap: CaseSnapshot
        switch started {
        case .refused(let r):
            if let expected = s.refused {
                if let f = mismatch(expected, r) { failures.append(f) }
            } else {
                // Point at what the refusal is about: the data or the people, else the scenario.
                let about: SourceSpan
                switch r.kind {
                case .invalidData: about = s.dataSpan ?? s.span
                case .unboundRole, .unknownRole, .separationOfDuties: about = s.peopleSpan ?? s.span
                default: about = s.span
                }
                failures.append(Diagnostic(UnexpectedRefusal(message: "the case could not start: \(r.message)"), at: about))
                failures.append(workflow.diagnostic(r, fallback: about))
            }
            return result
        case .accepted(let step):
            if let expected = s.refused {
                failures.append(Diagnostic(MissingRefusal(message: "the case started, but the scenario expects the start to be refused" + (expected.kind.map { " (\(RuntimeDiagnostics.descriptor($0).name))" } ?? "")), at: expected.span))
                return result
            }
            record(step, into: &coverage)
            snap = step.snapshot
        }

        var substitutions = ScenarioSubstitutes()
        for step in s.steps {
            if let move = step.clock {
                switch advance(now, move) {
                case .success(let t):
                    if t < now {
                        failures.append(Diagnostic(ScenarioTime(message: "the clock cannot go back: \(iso(t)) is before \(iso(now))"), at: span(of: move)))
                        return result
                    }
                    now = t
                case .failure(let d):
                    failures.append(d)
                    return result
                }
            }
            var outcome: StepResult?
            switch step.action {
            case .fire(let name, let actor, let role, let item, let payload, let key):
                if let p = step.actingFor, !substitutions.applies(substitute: actor, for: p, at: now) {
                    // As the service refuses it (WFC9012): the sender is no substitute now.
                    outcome = .refused(Refusal(.notAuthorized, "\(actor) is not a substitute of \(p) at \(iso(now))"))
                } else {
                    outcome = Engine.fire(def, snap, Event(name, actor: actor, payload: payload, idempotencyKey: key, item: item, role: role,
                                                           assign: step.assign, reassignment: step.reassignment, actingFor: step.actingFor), now: now)
                }
            case .tick:
                outcome = Engine.tick(def, snap, now: now)
            case .none:
                if let sub = step.substitution {
                    if let failure = substitutions.add(sub, now: now, timeZone: timeZone, format: iso) {
                        failures.append(failure)
                        return result
                    }
                }
            }
            if let outcome { observe?(describe(step.action), outcome, now) }
            switch outcome {
            case .refused(let r)?:
                if let expected = step.refused {
                    if let f = mismatch(expected, r) { failures.append(f) }
                } else {
                    failures.append(Diagnostic(UnexpectedRefusal(message: "\(describe(step.action)) was refused: \(r.message)"), at: step.span))
                    failures.append(workflow.diagnostic(r, fallback: step.span))
                    if stopOnRefusal { return result }
                }
            case .accepted(let st)?:
                if let expected = step.refused {
                    failures.append(Diagnostic(MissingRefusal(message: "\(describe(step.action)) was accepted, but the scenario expects it to be refused" + (expected.kind.map { " (\(RuntimeDiagnostics.descriptor($0).name))" } ?? "")), at: expected.span))
                    return result
                }
                record(st, into: &coverage)
                snap = st.snapshot
            case nil:
                break
            }
            for e in step.expectations {
                if let message = check(e, snap, now: now) {
                    failures.append(Diagnostic(ExpectationFailed(message: message), at: e.span, label: "expected here"))
                }
            }
        }
        return result
    }

    private func record(_ step: Step, into coverage: inout Coverage) {
        for t in step.trace {
            if t.kind == .entered, let s = t.state { coverage.statesEntered.insert(s) }
            if t.kind == .transition, let span = t.span { coverage.transitionsTaken.insert(span) }
        }
    }

    private func mismatch(_ expected: ExpectedRefusal, _ r: Refusal) -> Diagnostic? {
        if let k = expected.kind, k != r.kind {
            return Diagnostic(WrongRefusal(message: "refused as `\(RuntimeDiagnostics.descriptor(r.kind).name)`, but the scenario expects `\(RuntimeDiagnostics.descriptor(k).name)`"),
                              at: expected.span, notes: ["the refusal: \(r.message)"])
        }
        if let text = expected.messageContains, !r.message.contains(text), !r.details.contains(where: { $0.contains(text) }) {
            return Diagnostic(WrongRefusal(message: "the refusal does not mention `\(text)`"), at: expected.span, notes: ["the refusal: \(r.message)"] + r.details)
        }
        return nil
    }

    private func advance(_ now: Date, _ move: ClockMove) -> ClockResult {
        switch move {
        case .at(let t):
            guard let d = ClockText.parse(t.text, timeZone: timeZone) else {
                return .failure(Diagnostic(ScenarioTime(message: "`\(t.text)` is not a time or a duration"), at: t.span, help: "write \(ClockText.forms), or a duration such as 3 working days"))
            }
            return .success(d)
        case .after(let d, let span):
            do throws(CalendarError) {
                return .success(try ClockText.advance(now, by: d, calendar: def.calendar))
            } catch {
                return .failure(Diagnostic(ScenarioTime(message: "cannot move the clock by \(d.amount) \(d.unit.rawValue): \(error.description)"), at: span))
            }
        }
    }

    enum ClockResult {
        case success(Date)
        case failure(Diagnostic)
    }

    private func span(of move: ClockMove) -> SourceSpan {
        switch move {
        case .at(let t): t.span
        case .after(_, let s): s
        }
    }

    private func describe(_ action: StepAction) -> String {
        switch action {
        case .fire(let name, let actor, _, _, _, _): "`\(name)` by \(actor)"
        case .tick: "the tick"
        case .none: "the step"
        }
    }

    func iso(_ d: Date) -> String { ClockText.format(d, timeZone: timeZone) }
}
