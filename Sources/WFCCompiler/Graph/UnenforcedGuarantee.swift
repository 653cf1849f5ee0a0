import WFCIR
import WFCDiagnostics

/// The proof no other workflow tool gives HR: every checklist (unless optional) and every
/// declared sign-off guarantee is enforced on every path from the start to a `completed`
/// final state. An edge enforces a checklist when its state's or its own `requires:` (or its
/// guard) demands every item done; it enforces a sign-off when it is the completion of a
/// sign-off state that requires those roles. Parallel and foreach states enforce when every
/// branch enforces on every path to `join`.
enum UnenforcedGuarantee: GraphCheck {
    enum Goal {
        case checklist(Int)
        case signoff([Int])
    }

    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        guard let start = g.ir.regions.first?.start else { return }
        // Spans and names are only worked out for a goal that is reported.
        var goals: [(Goal, SpanIR)] = []
        var explicitChecklists = Set<Int>()
        for gr in g.ir.guarantees {
            switch gr {
            case .checklist(let f, let span, _):
                explicitChecklists.insert(f)
                goals.append((.checklist(f), span))
            case .signoff(let roles, let span, _):
                goals.append((.signoff(roles), span))
            }
        }
        for f in g.ir.fields where !f.optional && !explicitChecklists.contains(f.id) {
            if case .checklist = f.type, let span = f.span {
                goals.append((.checklist(f.id), span))
            }
        }
        for (goal, span) in goals {
            let parents = g.reachable(from: start) { !enforces($0, goal, g) }
            guard let bad = parents.order.filter({ g.ir.states[$0].isFinal && g.ir.states[$0].outcome == "completed" })
                .min(by: { g.ir.states[$0].span.start < g.ir.states[$1].span.start }) else { continue }
            let what: String
            switch goal {
            case .checklist(let f): what = "checklist `\(g.ir.fields[f].name)`"
            case .signoff(let roles): what = "the sign-off of " + roles.map { "`\(g.ir.roles[$0].name)`" }.joined(separator: ", ")
            }
            let path = g.describe(g.path(to: bad, parents))
            let help: String
            switch goal {
            case .checklist(let f): help = "add `requires: {all_done: \(g.ir.fields[f].name)}` to a state that every path to `\(g.name(bad))` passes"
            case .signoff: help = "make every path to `\(g.name(bad))` pass a sign-off state that requires these roles"
            }
            d.append(Diagnostic(
                UnenforcedGuaranteeMessage(what: what, final: g.name(bad)), at: g.source(span), label: "not enforced on every path",
                secondary: [Label(g.span(bad), "reached without it")], notes: ["path without the check: \(path)"], help: help))
        }
    }

    static func enforces(_ e: GraphModel.Edge, _ goal: Goal, _ g: GraphModel) -> Bool {
        let s = g.ir.states[e.from]
        switch goal {
        case .checklist(let f):
            let name = g.ir.fields[f].name
            if case .overdue = e.kind { return false }
            if s.requires.contains(where: { requirement($0, f, name) }) { return true }
            if case .event(let i) = e.kind {
                let t = s.transitions[i]
                if t.requires.contains(where: { requirement($0, f, name) }) { return true }
                if let guardExpr = t.guardExpr, guardExpr.source.utf8Contains(".all("), guardExpr.source.contains(".all("), GuardAtoms(guardExpr.source).requiresAllDone(name) { return true }
            }
            if case .choice(let i) = e.kind, s.choice[i].condition.source.utf8Contains(".all("), s.choice[i].condition.source.contains(".all("),
               GuardAtoms(s.choice[i].condition.source).requiresAllDone(name) { return true }
            if case .then = e.kind, !s.regions.isEmpty { return compositeEnforces(s, goal, g) }
            return false
        case .signoff(let roles):
            guard case .then = e.kind else { return false }
            if let so = s.signoff {
                let certain = Set(so.all + (so.quorum == so.of.count ? so.of : []))
                return Set(roles).isSubset(of: certain)
            }
            if !s.regions.isEmpty { return compositeEnforces(s, goal, g) }
            return false
        }
    }

    /// All branches of a parallel state join before `then`, so one enforcing branch is
    /// enough; a foreach body enforces when it does so for every item.
    static func compositeEnforces(_ s: StateIR, _ goal: Goal, _ g: GraphModel) -> Bool {
        s.regions.contains { regionEnforces($0, goal, g) }
    }

    static func requirement(_ r: RequirementIR, _ field: Int, _ name: String) -> Bool {
        switch r {
        case .allDone(let f, _, _): return f == field
        case .expression(let e, _): return e.source.utf8Contains(".all(") && e.source.contains(".all(") && GuardAtoms(e.source).requiresAllDone(name)
        }
    }

    /// True when no `join` (nor a completed final) is reachable from the region's start
    /// without passing an enforcing edge.
    static func regionEnforces(_ region: Int, _ goal: Goal, _ g: GraphModel) -> Bool {
        guard let start = g.ir.regions[region].start else { return true }
        let seen = g.reachable(from: start) { !enforces($0, goal, g) }
        for s in seen.order {
            if g.ir.states[s].isFinal && g.ir.states[s].outcome == "completed" { return false }
            if g.edges[s].contains(where: { $0.join && !enforces($0, goal, g) }) { return false }
        }
        return true
    }
}

struct UnenforcedGuaranteeMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5014", name: "unenforced-guarantee", summary: "A checklist or required sign-off is not enforced on every path to completion.",
        explanation: """
            Every checklist field (unless `optional: true`) and every sign-off listed under \
            `guarantees:` must be enforced on every path from the start to a `completed` final \
            state. A checklist is enforced by `requires: {all_done: FIELD}` (or a guard such as \
            `case.items.all(i, i.done)`); a sign-off by passing a sign-off state that requires \
            those roles. wfc searches for a path that avoids every enforcing step and shows it.
            """,
        example: "case:\n  items: {checklist: {name: string}}\nstates:\n  execute: {on: {finish: {by: handover, to: done}}}\n  done: {final: completed}\n",
        fix: "case:\n  items: {checklist: {name: string}}\nstates:\n  execute: {requires: {all_done: items}, on: {finish: {by: handover, to: done}}}\n  done: {final: completed}\n")
    var what: String
    var final: String
    var message: String { "\(what) is not enforced on every path to the completed state `\(final)`" }
}
