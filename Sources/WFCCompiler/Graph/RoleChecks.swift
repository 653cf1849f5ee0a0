import WFCIR
import WFCDiagnostics

/// A declared role that nothing refers to. A warning.
enum UnusedRole: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        // By role id (ids are positions in `roles`).
        var used = [Bool](repeating: false, count: g.ir.roles.count)
        func use(_ ids: [Int]) { for id in ids where used.indices.contains(id) { used[id] = true } }
        for s in g.ir.states {
            for t in s.transitions { use(t.roles) }
            if let so = s.signoff {
                use(so.all)
                use(so.of)
                for c in so.conditional where used.indices.contains(c.role) { used[c.role] = true }
                use(so.add?.by ?? [])
            }
            if let due = s.due { use(due.escalate) }
            // Reminded and copied roles are told, which is what a role may be declared for.
            use(s.remind?.to ?? [])
            use(s.cc?.enter ?? [])
            use(s.cc?.leave ?? [])
        }
        for r in g.ir.roles where !(used.indices.contains(r.id) && used[r.id]) {
            d.append(Diagnostic(UnusedRoleMessage(name: r.name), at: g.source(r.span), label: "declared here",
                                help: "let the role act (`by:`, `signoff:`, `escalate:`), or remove it"))
        }
    }
}

/// An event that no role may fire.
enum EventWithoutRole: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states {
            for t in s.transitions where t.roles.isEmpty {
                d.append(Diagnostic(EventWithoutRoleMessage(event: t.event, state: s.name), at: g.source(t.span), label: "no `by:`",
                                    help: "say who may fire it, e.g. `by: manager`"))
            }
        }
    }
}

/// A sign-off that lists a role twice.
enum DuplicateSignoffRole: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states {
            guard let so = s.signoff else { continue }
            var seen = Set<Int>()
            var dup: [String] = []
            for r in so.all + so.of + so.conditional.map(\.role) where !seen.insert(r).inserted {
                dup.append(g.ir.roles[r].name)
            }
            for name in dup {
                d.append(Diagnostic(DuplicateSignoffParty(role: name, state: s.name), at: g.source(so.span), label: "`\(name)` appears twice",
                                    help: "list each party once"))
            }
        }
    }
}

/// A multi-party sign-off whose parties could be one person: no `separate:` group keeps them
/// apart, so one person holding both roles could sign twice.
enum SignoffSeparation: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states {
            guard let so = s.signoff else { continue }
            var parties: [Int] = []
            for r in so.all + so.of + so.conditional.map(\.role) where !parties.contains(r) { parties.append(r) }
            for j in 0..<parties.count {
                for i in 0..<j {
                    let (a, b) = (parties[i], parties[j])
                    if g.ir.separations.contains(where: { $0.contains(a) && $0.contains(b) }) { continue }
                    let (na, nb) = (g.ir.roles[a].name, g.ir.roles[b].name)
                    d.append(Diagnostic(
                        SignoffPartiesNotSeparated(a: na, b: nb, state: s.name), at: g.source(so.span), label: "`\(na)` and `\(nb)` both sign",
                        notes: ["without a separation constraint, one person could hold both roles and sign twice"],
                        help: "add `[\(na), \(nb)]` to `separate:`"))
                }
            }
        }
    }
}

struct UnusedRoleMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5010", severity: .warning, name: "unused-role", summary: "A declared role is never used.",
        explanation: "The role is declared under `roles:` but no event, sign-off or escalation names it. It may be a leftover, or the policy forgot to give it a duty.",
        example: "roles:\n  handover: {title: 交接人}\n  witness: {title: 监交人}\n# witness is never used\n",
        fix: "# remove `witness`, or give it a duty, e.g. in a sign-off\n")
    var name: String
    var message: String { "role `\(name)` is declared but never used" }
}

struct EventWithoutRoleMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5011", name: "event-without-role", summary: "An event has no role that may fire it.",
        explanation: "Every event must say who may fire it with `by:`. An event without `by:` could never be fired by anyone (wfc does not allow \"anyone\").",
        example: "on:\n  submit: prepare\n",
        fix: "on:\n  submit: {by: handover, to: prepare}\n")
    var event: String
    var state: String
    var message: String { "event `\(event)` in state `\(state)` has no role that may fire it" }
}

struct DuplicateSignoffParty: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5012", name: "duplicate-signoff-role", summary: "A sign-off lists the same role twice.",
        explanation: "Each party of a sign-off signs once. A role listed twice (in `all`, `of` or `also`) is a mistake: the second listing adds no signature.",
        example: "signoff: {all: [handover, receiver], also: {receiver: \"case.key_post\"}}\n",
        fix: "signoff: {all: [handover, receiver], also: {witness: \"case.key_post\"}}\n")
    var role: String
    var state: String
    var message: String { "the sign-off of `\(state)` lists `\(role)` more than once" }
}

struct SignoffPartiesNotSeparated: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5013", name: "signoff-separation", summary: "Two parties of a sign-off could be the same person.",
        explanation: "A sign-off by several parties means several people attest. Unless `separate:` says the roles must be held by different people, one person holding both roles could sign twice and the separation of duties the sign-off stands for is violated.",
        example: "separate: [[handover, receiver]]\nstates:\n  execute: {signoff: {all: [handover, receiver, witness]}, then: done}\n",
        fix: "separate: [[handover, receiver, witness]]\nstates:\n  execute: {signoff: {all: [handover, receiver, witness]}, then: done}\n")
    var a: String
    var b: String
    var state: String
    var message: String { "in the sign-off of `\(state)`, `\(a)` and `\(b)` could be the same person" }
}
