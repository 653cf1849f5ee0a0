import WFCIR
import WFCDiagnostics

/// Roles bound during the case (`assign:`) used where they may still be unbound. A role that
/// a transition assigns is not bound at start; it is certainly bound only after a transition
/// that assigns it has been taken. A must-analysis over the graph, as ``MaybeUnfilled`` does
/// for fields, finds the states that need the role (an event's `by:`, a sign-off party, an
/// escalation target) on a path that has not assigned it: at run time nobody could act there.
enum RoleBinding: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        let ir = g.ir
        let assigned = ir.roles.filter { $0.assigned == true }.map(\.id)
        guard !assigned.isEmpty, let top = ir.regions.first?.start else { return }
        let late = Set(assigned)

        // IN(s): the assigned roles certainly bound when `s` is entered; nil = not reached yet.
        var entry = [Set<Int>?](repeating: nil, count: ir.states.count)
        entry[top] = []
        var work = [top]
        func flow(_ to: Int?, _ facts: Set<Int>) {
            guard let to, ir.states.indices.contains(to) else { return }
            let merged = entry[to].map { $0.intersection(facts) } ?? facts
            if merged != entry[to] {
                entry[to] = merged
                work.append(to)
            }
        }
        while let s = work.popLast() {
            guard let facts = entry[s] else { continue }
            for e in g.edges[s] {
                var out = facts
                if case .event(let i) = e.kind, ir.states[s].transitions.indices.contains(i) {
                    out.formUnion(ir.states[s].transitions[i].assign ?? [])
                }
                flow(e.to, out.intersection(late))
            }
            // Branches and foreach bodies start with what their owner had.
            for r in ir.states[s].regions where ir.regions.indices.contains(r) { flow(ir.regions[r].start, facts) }
        }

        for s in ir.states {
            guard let facts = entry[s.id] else { continue }
            // Each role once per state, at the first place that needs it.
            var reported = Set<Int>()
            func need(_ roles: [Int], _ span: SpanIR, _ what: String) {
                for r in roles where late.contains(r) && !facts.contains(r) && ir.roles.indices.contains(r) && reported.insert(r).inserted {
                    let role = ir.roles[r].name
                    let assigners = ir.states.flatMap { st in st.transitions.filter { ($0.assign ?? []).contains(r) }.map { "`\($0.event)` in `\(st.name)`" } }
                    d.append(Diagnostic(
                        RoleMaybeUnbound(role: role, state: s.name), at: g.source(span), label: "\(what) needs `\(role)`",
                        notes: ["`\(role)` is assigned by \(assigners.joined(separator: ", ")); this path reaches `\(s.name)` without it: \(path(to: s.id, avoiding: r, g))"],
                        help: "assign `\(role)` on every path before `\(s.name)` (`assign: [\(role)]` on an earlier transition), or bind it at start by removing its `assign:`"))
                }
            }
            for t in s.transitions { need(t.roles, t.span, "`\(t.event)`") }
            if let so = s.signoff { need(so.all + so.of + so.conditional.map(\.role), so.span, "the sign-off") }
            if let due = s.due { need(due.escalate, due.span, "the escalation") }
            if let limit = s.roundLimit { need(limit.escalate, limit.span, "the escalation") }
        }

        // One case-wide role assigned once per foreach item: the items would overwrite each other.
        for s in ir.states where inForeach(s, ir) {
            for t in s.transitions where !(t.assign ?? []).isEmpty {
                let names = (t.assign ?? []).compactMap { ir.roles.indices.contains($0) ? ir.roles[$0].name : nil }
                d.append(Diagnostic(AssignInForeach(event: t.event, state: s.name, roles: names), at: g.source(t.span), label: "inside a foreach body",
                                    help: "assign the role before the foreach state, or keep the person in a field of the item"))
            }
        }
    }

    /// Whether `s` lies in a foreach body, directly or through nested regions.
    static func inForeach(_ s: StateIR, _ ir: WorkflowIR) -> Bool {
        var region = s.region
        var seen = 0
        while region != 0, ir.regions.indices.contains(region), let owner = ir.regions[region].owner, ir.states.indices.contains(owner), seen < ir.regions.count {
            if ir.states[owner].kind == .foreach { return true }
            region = ir.states[owner].region
            seen += 1
        }
        return false
    }

    /// A path from the start of `s`'s region to `s` on which no transition assigns `role`,
    /// as text; a state in a branch or body is reached through its top-level owner.
    static func path(to s: Int, avoiding role: Int, _ g: GraphModel) -> String {
        let ir = g.ir
        var chain: [Int] = [s]
        while let last = chain.last, ir.states[last].region != 0, ir.regions.indices.contains(ir.states[last].region),
              let owner = ir.regions[ir.states[last].region].owner, !chain.contains(owner) {
            chain.append(owner)
        }
        var parts: [String] = []
        for target in chain.reversed() {
            let region = ir.states[target].region
            guard ir.regions.indices.contains(region), let start = ir.regions[region].start else { continue }
            let reach = g.reachable(from: start) { e in
                guard case .event(let i) = e.kind, ir.states[e.from].transitions.indices.contains(i) else { return true }
                return !(ir.states[e.from].transitions[i].assign ?? []).contains(role)
            }
            parts.append(reach.contains(target) ? g.describe(g.path(to: target, reach)) : "`\(ir.states[target].name)`")
        }
        return parts.joined(separator: " … ")
    }
}

struct RoleMaybeUnbound: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5022", name: "role-maybe-unbound", summary: "A role assigned during the case may be needed before it is assigned.",
        explanation: """
            A role named in a transition's `assign:` is not bound when the case starts: the \
            person is named in the data of that event. Until then nobody holds the role. Some \
            path from the start reaches a state that needs the role (an event's `by:`, a \
            sign-off party, an escalation target) without taking a transition that assigns it; \
            there nobody could act. wfc proves this over every path, as it does for required fields.
            """,
        example: "roles:\n  dept_head: {title: 部门负责人}\n  handler: {title: 交接专人}\nstart: prepare\nstates:\n  prepare:\n    on: {ready: {by: dept_head, to: handover}}\n  handover:\n    on: {handed_over: {by: handler, to: done}}\n  appoint:\n    on: {appointed: {by: dept_head, to: handover, assign: [handler]}}\n  done: {final: completed}\n",
        fix: "roles:\n  dept_head: {title: 部门负责人}\n  handler: {title: 交接专人}\nstart: prepare\nstates:\n  prepare:\n    on: {ready: {by: dept_head, to: handover, assign: [handler]}}\n  handover:\n    on: {handed_over: {by: handler, to: done}}\n  done: {final: completed}\n")
    var role: String
    var state: String
    var message: String { "role `\(role)` may not be assigned yet when `\(state)` needs it" }
}

struct AssignInForeach: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5023", name: "assign-in-foreach", summary: "A role is assigned inside a foreach body.",
        explanation: """
            A role holds one person for the whole case. A transition in a foreach body runs \
            once per item, so an `assign:` there would bind the role again for every item and \
            each item would take the task away from the others. Assign the role before the \
            foreach state, or keep the per-item person in a field of the item.
            """,
        example: "  check_items:\n    foreach: case.items\n    as: item\n    start: check\n    states:\n      check:\n        on: {checked: {by: dept_head, to: join, assign: [handler]}}\n",
        fix: "  plan:\n    on: {planned: {by: dept_head, to: check_items, assign: [handler]}}\n")
    var event: String
    var state: String
    var roles: [String]
    var message: String { "`\(event)` in `\(state)` assigns \(roles.map { "`\($0)`" }.joined(separator: ", ")) once per foreach item" }
}

struct ReassignWithoutBy: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2015", name: "reassign-without-by", summary: "`reassign:` names no role that may reassign.",
        explanation: """
            `reassign:` lets the holders of the roles in its `by:` hand an open task, or a role \
            for the rest of the case, to another person (转交). Without `by:` nobody may, which \
            is already the default: the block would say nothing.
            """,
        example: "reassign: {roles: [handler]}\n",
        fix: "reassign: {by: [dept_head], roles: [handler], clause: 五.2}\n")
    var message: String { "`reassign:` needs `by:`: the roles that may hand tasks or roles on" }
}
