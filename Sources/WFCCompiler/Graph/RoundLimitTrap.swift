import WFCIR
import WFCDiagnostics

/// A used-up `max_rounds` without `then:` refuses the only ways on from a state that a case can
/// reach: reported by the liveness proof (``Liveness``), which sees the round counts exactly.
struct RoundLimitTrapMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5017", name: "round-limit-trap", summary: "Using up a state's `max_rounds` leaves the case stuck.",
        explanation: """
            `max_rounds: N` refuses a step that would enter the state for round N+1. When a state \
            before it has no step that avoids it (every event, `then` or overdue transition leads \
            into the bounded state), that state can never be left once the rounds are used up: \
            every step is refused and the case stays where it is for good. Say where the flow \
            goes instead with the mapping form `max_rounds: {limit: N, then: STATE}`, optionally \
            with `escalate:` (a role to notify) and `violation:` (a policy violation to record), \
            or give the state before it another way out.
            """,
        example: "execute:\n  signoff: [handover, receiver]\n  then: supervise\nsupervise:\n  max_rounds: 3\n  on:\n    confirm: {by: manager, to: done}\n    report_issue: {by: manager, to: execute}\n",
        fix: "execute:\n  signoff: [handover, receiver]\n  then: supervise\nsupervise:\n  max_rounds: {limit: 3, then: hr_decide, escalate: hr, violation: 交接问题反复未解决}\n  on:\n    confirm: {by: manager, to: done}\n    report_issue: {by: manager, to: execute}\nhr_decide:\n  on:\n    resume: {by: hr, to: execute}\n    cancel: {by: hr, to: cancelled}\n")
    var state: String
    var limit: Int
    var stuck: [String]
    var message: String {
        "when the \(limit) rounds of `\(state)` are used up, \(stuck.map { "`\($0)`" }.joined(separator: ", ")) \(stuck.count == 1 ? "is" : "are") stuck: no step from \(stuck.count == 1 ? "it" : "them") can be taken"
    }
}
