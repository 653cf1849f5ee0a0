import WFCIR
import WFCDiagnostics

/// A bounded state (`max_rounds`) without `then:`, and a state before it whose every step
/// leads into it. Once the rounds are used up, the runtime refuses each of those steps
/// (WFC6014) and nothing else can move the case: it is stuck for good.
enum RoundLimitTrap: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for b in g.ir.states {
            guard let limit = b.maxRounds, !(b.roundLimit?.redirects ?? false) else { continue }
            var memo: [Int: Bool] = [:]
            let stuck = g.ir.states.filter { p in
                let out = eventual(p.id, g)
                return p.id != b.id && !automatic(p) && !out.isEmpty && out.allSatisfy { leadsInto(b.id, $0, g, &memo) }
            }
            guard let first = stuck.first else { continue }
            let names = stuck.map { "`\($0.name)`" }.joined(separator: ", ")
            d.append(Diagnostic(
                RoundLimitTrapMessage(state: b.name, limit: limit, stuck: stuck.map(\.name)),
                at: g.source(b.roundLimit?.span ?? b.span), label: "no `then:` for when the \(limit) rounds are used up",
                secondary: stuck.map { Label(g.source($0.span), "stuck here: every step from `\($0.name)` enters `\(b.name)`") },
                notes: ["a step that would enter `\(b.name)` for round \(limit + 1) is refused (WFC6014), and \(stuck.count == 1 ? "`\(first.name)` has" : "\(names) have") no other way on"],
                help: "add `then:` to `max_rounds`: `max_rounds: {limit: \(limit), then: STATE, escalate: ROLE, violation: TEXT}`, the state the flow goes to once the rounds are used up (e.g. a decision by the responsible role)"))
        }
    }

    /// States that move on by themselves: a choice, or a task with no events and a `then`.
    static func automatic(_ s: StateIR) -> Bool {
        s.kind == .choice || (s.kind == .task && s.transitions.isEmpty && (s.then != nil || s.thenJoin))
    }

    /// The steps from `s` once every bounded state with a `then` has used up its rounds: a step
    /// into one of those goes to its `then` (an edge of its own in the model) instead.
    static func eventual(_ s: Int, _ g: GraphModel) -> [GraphModel.Edge] {
        g.edges[s].filter { e in !(e.to.map { g.ir.states.indices.contains($0) && g.ir.states[$0].roundLimit?.redirects == true } ?? false) }
    }

    /// Whether taking `e` certainly enters `bounded`: directly, or through automatic states
    /// whose every way on enters it.
    static func leadsInto(_ bounded: Int, _ e: GraphModel.Edge, _ g: GraphModel, _ memo: inout [Int: Bool]) -> Bool {
        guard let t = e.to, !e.join else { return false }
        if t == bounded { return true }
        guard automatic(g.ir.states[t]) else { return false }
        if let known = memo[t] { return known }
        memo[t] = false // a cycle of automatic states does not count as entering it
        let out = eventual(t, g)
        let result = !out.isEmpty && out.allSatisfy { leadsInto(bounded, $0, g, &memo) }
        memo[t] = result
        return result
    }
}

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
        "when the \(limit) rounds of `\(state)` are used up, \(stuck.map { "`\($0)`" }.joined(separator: ", ")) \(stuck.count == 1 ? "is" : "are") stuck: every step leads into `\(state)`"
    }
}
