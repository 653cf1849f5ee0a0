import WFCDiagnostics
import WFCIR

/// `substitutes: false` on a role that acts nowhere (fires no event, signs no sign-off): the
/// rule has no effect, which usually means it was put on the wrong role.
enum SubstitutesWithoutEffect: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        let forbidden = g.ir.roles.filter { $0.substitutes == false }
        guard !forbidden.isEmpty else { return }
        var acts = Set<Int>()
        for s in g.ir.states {
            for t in s.transitions { acts.formUnion(t.roles) }
            if let so = s.signoff { acts.formUnion(so.all + so.of + so.conditional.map(\.role)) }
        }
        for r in forbidden where !acts.contains(r.id) {
            d.append(Diagnostic(SubstitutesWithoutEffectMessage(role: r.name), at: g.source(r.span), label: "never acts",
                                help: "put `substitutes: false` on the role that must act in person (one with `by:` or in a `signoff:`), or remove it"))
        }
    }
}

struct SubstitutesWithoutEffectMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5026", severity: .warning, name: "substitutes-without-effect", summary: "`substitutes: false` is set on a role that never acts.",
        explanation: "`substitutes: false` makes the person bound to a role act in person: while they are away, their substitute (代理) may not fire the role's events or sign for it. A role that fires no event and is no party of a sign-off has nothing a substitute could do, so the rule has no effect; it was probably meant for another role.",
        example: "roles:\n  handover: {title: 交接人}\n  hr: {title: 人力资源部, substitutes: false}   # hr only receives escalations\n  witness: {title: 监交人}\n",
        fix: "roles:\n  handover: {title: 交接人}\n  hr: {title: 人力资源部}\n  witness: {title: 监交人, substitutes: false}   # the 监交人 signs in person\n")
    var role: String
    var message: String { "role `\(role)` has `substitutes: false` but never acts, so the rule has no effect" }
}
