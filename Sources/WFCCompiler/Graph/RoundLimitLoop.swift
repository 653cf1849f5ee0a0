import WFCIR
import WFCDiagnostics

/// Round limits whose `then:` targets send the flow round in a loop: `a` goes to `b` once its
/// rounds are used up, and `b` back to `a` once its own are. When all of them are used up, a
/// step into any of them can go nowhere; the runtime refuses it (WFC6014).
enum RoundLimitLoop: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        let states = g.ir.states
        func redirect(_ s: Int) -> Int? {
            guard states.indices.contains(s), let limit = states[s].roundLimit, limit.redirects else { return nil }
            return limit.target
        }
        // Each state is on at most one redirect chain's cycle; `done` marks states already
        // followed, so the whole check is linear.
        var done = [Bool](repeating: false, count: states.count)
        for start in states.indices where redirect(start) != nil && !done[start] {
            var chain: [Int] = []
            var cur: Int? = start
            while let c = cur, redirect(c) != nil, !done[c] {
                done[c] = true
                chain.append(c)
                cur = redirect(c)
            }
            // A loop when the chain ran into itself (not into a state followed earlier).
            guard let c = cur, let at = chain.firstIndex(of: c) else { continue }
            let loop = Array(chain[at...])
            let ordered = loop.sorted { states[$0].span.start < states[$1].span.start }
            guard let first = ordered.first else { continue }
            let names = loop.map { states[$0].name } + [states[c].name]
            d.append(Diagnostic(
                RoundLimitLoopMessage(loop: names),
                at: g.source(states[first].roundLimit?.span ?? states[first].span), label: "`then:` leads back here once the rounds are used up",
                secondary: ordered.dropFirst().map { Label(g.source(states[$0].roundLimit?.span ?? states[$0].span), "part of the loop") },
                notes: ["once every state of the loop has used up its rounds, a step into any of them has nowhere to go and is refused (WFC6014)"],
                help: "send one of them to a state without a round limit, e.g. a decision by the responsible role, or to a final state"))
        }
    }
}

struct RoundLimitLoopMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5018", name: "round-limit-loop", summary: "The `then:` targets of round limits lead round in a loop.",
        explanation: """
            `max_rounds: {limit: N, then: STATE}` sends a step elsewhere once the state's rounds \
            are used up. When that target is itself a bounded state whose `then:` leads back \
            (directly or through more bounded states), the limits only pass the step between \
            each other once they are all used up: it has nowhere to go and is refused. End the \
            chain at a state without a round limit.
            """,
        example: "review:\n  max_rounds: {limit: 3, then: hr_review}\n  on: {approve: {by: manager, to: done}, reject: {by: manager, to: prepare}}\nhr_review:\n  max_rounds: {limit: 1, then: review}\n  on: {approve: {by: hr, to: done}, reject: {by: hr, to: prepare}}\n",
        fix: "review:\n  max_rounds: {limit: 3, then: hr_review}\n  on: {approve: {by: manager, to: done}, reject: {by: manager, to: prepare}}\nhr_review:\n  on: {approve: {by: hr, to: done}, reject: {by: hr, to: cancelled}}\n")
    var loop: [String]
    var message: String {
        "round limits send the flow round in a loop: \(loop.map { "`\($0)`" }.joined(separator: " → "))"
    }
}
