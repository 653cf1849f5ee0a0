import WFCIR
import WFCDiagnostics

/// A bounded state (`max_rounds`) without `then:`, and a state before it whose every step
/// leads into it. Once the rounds are used up, the runtime refuses each of those steps
/// (WFC6014) and nothing else can move the case: it is stuck for good.
enum RoundLimitTrap: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        // Only bounds without `then` can trap.
        guard g.ir.states.contains(where: { $0.maxRounds != nil && !($0.roundLimit?.redirects ?? false) }) else { return }
        // Linear: each state's certain entry is worked out once, then each state that is not
        // automatic is stuck for bound `b` when every step from it certainly enters `b`.
        var entries = CertainEntries(g)
        var stuck: [Int: [Int]] = [:]
        for p in g.ir.states.indices where !automatic(g.ir.states[p]) {
            // The bounded state every eventual step from `p` enters, if they all enter one
            // (read off the edges in place: this runs for every state).
            var common: Int?? = nil
            for e in g.edges[p] where !redirects(e, g) {
                let b = entries.entry(of: e)
                if common == nil {
                    common = .some(b)
                } else if common! != b {
                    common = .some(nil)
                    break
                }
            }
            guard let c = common, let b = c, b != p else { continue }
            stuck[b, default: []].append(p)
        }
        for b in stuck.keys.sorted() {
            let bounded = g.ir.states[b]
            guard let limit = bounded.maxRounds, let ps = stuck[b], let first = ps.first else { continue }
            let stuckStates = ps.map { g.ir.states[$0] }
            let names = stuckStates.map { "`\($0.name)`" }.joined(separator: ", ")
            d.append(Diagnostic(
                RoundLimitTrapMessage(state: bounded.name, limit: limit, stuck: stuckStates.map(\.name)),
                at: g.source(bounded.roundLimit?.span ?? bounded.span), label: "no `then:` for when the \(limit) rounds are used up",
                secondary: stuckStates.map { Label(g.source($0.span), "stuck here: every step from `\($0.name)` enters `\(bounded.name)`") },
                notes: ["a step that would enter `\(bounded.name)` for round \(limit + 1) is refused (WFC6014), and \(ps.count == 1 ? "`\(g.ir.states[first].name)` has" : "\(names) have") no other way on"],
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
        g.edges[s].filter { !redirects($0, g) }
    }

    /// Whether `e` enters a bounded state whose `max_rounds` names a `then`.
    static func redirects(_ e: GraphModel.Edge, _ g: GraphModel) -> Bool {
        e.to.map { g.ir.states.indices.contains($0) && g.ir.states[$0].roundLimit?.redirects == true } ?? false
    }

    /// For each state, the bounded state (with `max_rounds` and no `then`) that entering it
    /// certainly enters: itself, or for an automatic state the one every way on certainly
    /// enters. Memoized; a cycle of automatic states enters none.
    struct CertainEntries {
        let g: GraphModel
        private var memo: [Int: Int?] = [:]

        init(_ g: GraphModel) { self.g = g }

        /// The bounded state that taking `e` certainly enters, if any.
        mutating func entry(of e: GraphModel.Edge) -> Int? {
            guard let t = e.to, !e.join, g.ir.states.indices.contains(t) else { return nil }
            return entry(t)
        }

        /// The answer for `t` when no search is needed: `.some` of it, or nil to search.
        private func known(_ t: Int) -> Int?? {
            let s = g.ir.states[t]
            if s.maxRounds != nil && !(s.roundLimit?.redirects ?? false) { return .some(t) }
            guard automatic(s) else { return .some(nil) }
            return memo[t]
        }

        /// Iterative (an explicit stack, not recursion): chains of automatic states can be
        /// thousands long. A state under evaluation counts as entering none (cycles).
        private mutating func entry(_ t0: Int) -> Int? {
            if let k = known(t0) { return k }
            struct Frame { var state: Int; var out: [GraphModel.Edge]; var next = 0; var bound: Int? = nil }
            memo[t0] = .some(nil)
            var stack = [Frame(state: t0, out: eventual(t0, g))]
            var returned: Int?? = nil
            while !stack.isEmpty {
                var f = stack[stack.count - 1]
                var result: Int?? = nil // set when this frame is done
                if let r = returned {
                    returned = nil
                    if f.next == 0 {
                        if let b = r { f.bound = b } else { result = .some(nil) }
                    } else if r != f.bound {
                        result = .some(nil)
                    }
                    f.next += 1
                }
                // Edges whose answer needs no search are settled here, in order.
                while result == nil, f.next < f.out.count {
                    let e = f.out[f.next]
                    let answer: Int??
                    if let t = e.to, !e.join, g.ir.states.indices.contains(t) { answer = known(t) } else { answer = .some(nil) }
                    guard let r = answer else { break }
                    if f.next == 0 {
                        if let b = r { f.bound = b } else { result = .some(nil) }
                    } else if r != f.bound {
                        result = .some(nil)
                    }
                    f.next += 1
                }
                if result == nil, f.next >= f.out.count { result = .some(f.out.isEmpty ? nil : f.bound) }
                if let done = result {
                    memo[f.state] = done
                    stack.removeLast()
                    returned = done
                    if stack.isEmpty { return done ?? nil }
                    continue
                }
                // The next edge needs a search of its own.
                stack[stack.count - 1] = f
                guard let t = f.out[f.next].to else { continue }
                memo[t] = .some(nil)
                stack.append(Frame(state: t, out: eventual(t, g)))
            }
            return nil
        }
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
