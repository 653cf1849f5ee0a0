import WFCIR
import WFCDiagnostics

/// A choice with no `otherwise` whose guards are not provably exhaustive.
enum ChoiceFallthrough: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states where s.kind == .choice && s.otherwise == nil && !s.choice.isEmpty {
            if exhaustive(s.choice.map(\.condition.source), g.ir) { continue }
            d.append(Diagnostic(
                ChoiceFallsThrough(state: s.name), at: g.source(s.span), label: "no arm may match",
                notes: ["a choice without `otherwise` must cover every case: wfc proves this for an enum field compared with all of its members, or for `x` and `!x`"],
                help: "add `- otherwise: STATE` as the last arm"))
        }
    }

    /// True when the arms together cover every value.
    static func exhaustive(_ guards: [String], _ ir: WorkflowIR) -> Bool {
        var covered: [String: Set<GuardAtoms.Literal>] = [:]
        for gsrc in guards {
            let g = GuardAtoms(gsrc)
            // Only single-atom arms add coverage; a conjunction covers less.
            guard g.conjuncts.count == 1, let a = g.atoms.first, case .oneOf(let values) = a.constraint else { continue }
            covered[a.path, default: []].formUnion(values)
        }
        for (path, values) in covered {
            if values.isSuperset(of: [.bool(true), .bool(false)]) { return true }
            if path.hasPrefix("case."), let f = ir.fields.first(where: { "case.\($0.name)" == path }), case .enumeration(let members) = f.type,
               Set(members.map { GuardAtoms.Literal.string($0) }).isSubset(of: values) {
                return true
            }
        }
        return false
    }
}

struct ChoiceFallsThrough: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5008", name: "choice-fallthrough", summary: "A choice can fall through: no arm may match.",
        explanation: "A choice takes the first arm whose `when:` holds. Without `otherwise`, a case for which no guard holds would be stuck. Add `otherwise`, or compare an enum field with every member.",
        example: "choice:\n  - {when: \"case.reason == 'resignation'\", to: leave}\n  - {when: \"case.reason == 'transfer'\", to: transfer}\n# reason also has sick_leave and maternity_leave\n",
        fix: "choice:\n  - {when: \"case.reason == 'resignation'\", to: leave}\n  - {when: \"case.reason == 'transfer'\", to: transfer}\n  - otherwise: leave_of_absence\n")
    var state: String
    var message: String { "choice `\(state)` can fall through: it has no `otherwise` and its arms may not cover every case" }
}
