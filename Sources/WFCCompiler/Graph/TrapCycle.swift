import WFCIR
import WFCDiagnostics

/// States that can move, but only among themselves: no final state (or `join`) is reachable.
enum TrapCycle: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for region in g.ir.regions {
            let good = g.canFinish(region: region.id)
            let trapped = Set(region.states.filter { !good[$0] && !g.edges[$0].isEmpty })
            guard !trapped.isEmpty else { continue }
            // One diagnostic per trap component, at its first state in the file.
            var reported = Set<Int>()
            for comp in g.components(region: region.id) {
                let members = comp.filter { trapped.contains($0) }
                guard !members.isEmpty, !members.allSatisfy({ reported.contains($0) }) else { continue }
                // Only report components that do not merely lead into another trap.
                let sorted = members.sorted { g.ir.states[$0].span.start < g.ir.states[$1].span.start }
                guard let first = sorted.first else { continue }
                let isCycle = comp.count > 1 || g.edges[first].contains { $0.to == first }
                guard isCycle else { continue }
                reported.formUnion(members)
                let exit = region.id == 0 ? "a final state" : "`join`"
                d.append(Diagnostic(
                    TrapCycleMessage(names: sorted.map(g.name), exit: exit), at: g.span(first), label: "no way to finish from here",
                    secondary: sorted.dropFirst().map { Label(g.span($0), "also in the cycle") },
                    help: "add a transition from one of these states towards \(exit), e.g. a `withdraw` or an overdue `to:`"))
            }
        }
    }
}

struct TrapCycleMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5004", name: "trap-cycle", summary: "States cycle among themselves and can never finish.",
        explanation: "From these states the case can keep moving, but every path leads back into them: no final state (or, in a branch, `join`) can be reached. The case would never end.",
        example: "states:\n  review: {on: {reject: {by: manager, to: redo}}}\n  redo: {on: {resubmit: {by: handover, to: review}}}\n",
        fix: "states:\n  review: {on: {reject: {by: manager, to: redo}, approve: {by: manager, to: done}}}\n  redo: {on: {resubmit: {by: handover, to: review}}}\n  done: {final: completed}\n")
    var names: [String]
    var exit: String
    var message: String {
        names.count == 1 ? "state `\(names[0])` loops forever: it cannot reach \(exit)"
            : "states \(names.map { "`\($0)`" }.joined(separator: ", ")) cycle forever: none can reach \(exit)"
    }
}
