import WFCIR
import WFCDiagnostics

/// A loop whose only exit is one event (typically an approval) and that has no bound: if the
/// reviewer never approves, the case can never end. A warning.
enum UnboundedReviewLoop: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        // Membership of the component being looked at, by state id; cleared after each.
        var member = [Bool](repeating: false, count: g.ir.states.count)
        for region in g.ir.regions {
            for comp in g.components(region: region.id) {
                guard let first = comp.first, comp.count > 1 || g.edges[first].contains(where: { $0.to == first }) else { continue }
                // A bound, or a loop declared unbounded on purpose (`limit: unbounded`, with its reason).
                if comp.contains(where: { g.ir.states[$0].maxRounds != nil || g.ir.states[$0].roundLimit?.unbounded == true }) { continue }
                for s in comp { member[s] = true }
                // The distinct ways out, as (state, event label); more than one ends the search.
                var exits: [(state: Int, label: String)] = []
                var exitEdge: GraphModel.Edge?
                search: for s in comp {
                    for e in g.edges[s] where e.join || (e.to.map { !(member.indices.contains($0) && member[$0]) } ?? false) {
                        if !exits.contains(where: { $0.state == s && $0.label == e.label }) { exits.append((s, e.label)) }
                        exitEdge = e
                        if exits.count > 1 { break search }
                    }
                }
                for s in comp { member[s] = false }
                guard exits.count == 1, let exit = exitEdge, case .event(let t) = exit.kind else { continue }
                let transition = g.ir.states[exit.from].transitions[t]
                let loop = comp.sorted { g.ir.states[$0].span.start < g.ir.states[$1].span.start }.map(g.name)
                d.append(Diagnostic(
                    UnboundedLoop(loop: loop, event: transition.event), at: g.source(transition.span), label: "the only way out",
                    notes: ["if `\(transition.event)` never happens, the case loops forever"],
                    help: "add `max_rounds: N` to a state of the loop, an overdue `to:`, or another way out (e.g. withdraw); where the source sets no bound, declare it: `max_rounds: {limit: unbounded, assumption: REASON}`"))
            }
        }
    }
}

struct UnboundedLoop: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5009", severity: .warning, name: "unbounded-review-loop", summary: "A review loop has no bound and no way out but approval.",
        explanation: "A rejection sends the case back, and the only way to leave the loop is one event, usually the approval. Nothing limits the rounds and nothing else ends the case. Bound it with `max_rounds:`, add an overdue transition, or add another exit such as a withdrawal. Where the source policy gives neither a bound nor another way out, do not invent one: declare the loop unbounded with the reason, `max_rounds: {limit: unbounded, assumption: 原文未规定退回次数上限}`, which silences this warning and is listed as an assumption by `wfc doc`.",
        example: "review: {on: {approve: {by: manager, to: execute}, reject: {by: manager, to: prepare}}}\nprepare: {on: {ready: {by: handover, to: review}}}\n",
        fix: "review:\n  max_rounds: 3\n  on: {approve: {by: manager, to: execute}, reject: {by: manager, to: prepare}}\nprepare: {on: {ready: {by: handover, to: review}}}\n")
    var loop: [String]
    var event: String
    var message: String { "the loop \(loop.map { "`\($0)`" }.joined(separator: " → ")) has no bound and no way out but `\(event)`" }
}
