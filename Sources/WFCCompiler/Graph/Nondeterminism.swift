import WFCIR
import WFCDiagnostics

/// The same event from the same state with two transitions that can both apply to the same
/// actor. The runtime would not know which to take.
enum Nondeterminism: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states {
            // Most states have one transition per event: nothing to compare, nothing to group.
            let transitions = s.transitions
            guard transitions.indices.contains(where: { j in (0..<j).contains { transitions[$0].event == transitions[j].event } }) else { continue }
            var byEvent: [String: [TransitionIR]] = [:]
            for t in s.transitions { byEvent[t.event, default: []].append(t) }
            for (event, ts) in byEvent.sorted(by: { $0.key < $1.key }) where ts.count > 1 {
                for j in 1..<ts.count {
                    for i in 0..<j where overlap(ts[i], ts[j]) {
                        let why: String
                        if ts[i].guardExpr == nil || ts[j].guardExpr == nil {
                            why = "at least one of them has no `when:` guard"
                        } else {
                            why = "wfc cannot prove that `\(ts[i].guardExpr?.source ?? "")` and `\(ts[j].guardExpr?.source ?? "")` exclude each other"
                        }
                        d.append(Diagnostic(
                            NondeterministicEvent(event: event, state: s.name), at: g.source(ts[j].span), label: "can apply together with the first",
                            secondary: [Label(g.source(ts[i].span), "first transition for `\(event)`")], notes: [why],
                            help: "make the guards exclusive (e.g. `x >= 30` and `x < 30`), or give the alternatives different roles"))
                        break
                    }
                }
            }
        }
    }

    static func overlap(_ a: TransitionIR, _ b: TransitionIR) -> Bool {
        // Targets of a `back_to:` list: the actor's choice tells them apart.
        if a.backTo == true, b.backTo == true, a.target != b.target { return false }
        if !a.roles.isEmpty, !b.roles.isEmpty, Set(a.roles).isDisjoint(with: b.roles) { return false }
        guard let ga = a.guardExpr, let gb = b.guardExpr else { return true }
        return !GuardAtoms.exclusive(GuardAtoms(ga.source), GuardAtoms(gb.source))
    }
}

struct NondeterministicEvent: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5007", name: "nondeterministic-event", summary: "One event has two transitions that can both apply.",
        explanation: "When an event lists alternatives, their guards must exclude each other for every actor who may fire it; otherwise the runtime could not decide which transition to take. wfc proves exclusivity for comparisons on the same field (==, !=, in, <, <=, >, >=) and for `x` against `!x`.",
        example: "on:\n  approve:\n    - {by: manager, to: witness, when: \"case.key_post\"}\n    - {by: manager, to: execute}\n",
        fix: "on:\n  approve:\n    - {by: manager, to: witness, when: \"case.key_post\"}\n    - {by: manager, to: execute, when: \"!case.key_post\"}\n")
    var event: String
    var state: String
    var message: String { "event `\(event)` in state `\(state)` has two transitions that can both apply" }
}
