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

    /// True when the ranges together cover every number (`x >= 1000` and `x < 1000`).
    static func coversLine(_ rs: [(lo: Double?, li: Bool, hi: Double?, hi_: Bool)]) -> Bool {
        // Sweep from minus infinity: `reach` is how far the union covers so far.
        guard let first = rs.filter({ $0.lo == nil }).max(by: { a, b in
            guard let ah = a.hi else { return false }
            guard let bh = b.hi else { return true }
            return ah < bh || (ah == bh && !a.hi_ && b.hi_)
        }) else { return false }
        guard var reach = first.hi else { return true }
        var inclusive = first.hi_
        var progressed = true
        while progressed {
            progressed = false
            for r in rs {
                guard let lo = r.lo, lo < reach || (lo == reach && (inclusive || r.li)) else { continue }
                guard let hi = r.hi else { return true }
                if hi > reach || (hi == reach && r.hi_ && !inclusive) {
                    reach = hi
                    inclusive = r.hi_
                    progressed = true
                }
            }
        }
        return false
    }

    /// True when the arms together cover every value.
    static func exhaustive(_ guards: [String], _ ir: WorkflowIR) -> Bool {
        var covered: [String: Set<GuardAtoms.Literal>] = [:]
        var ranges: [String: [(lo: Double?, li: Bool, hi: Double?, hi_: Bool)]] = [:]
        for gsrc in guards {
            let g = GuardAtoms(gsrc)
            // Only single-atom arms add coverage; a conjunction covers less.
            guard g.conjuncts.count == 1, let a = g.atoms.first else { continue }
            switch a.constraint {
            case .oneOf(let values): covered[a.path, default: []].formUnion(values)
            case .range(let lo, let li, let hi, let hiIn): ranges[a.path, default: []].append((lo, li, hi, hiIn))
            case .noneOf: continue
            }
        }
        for (_, rs) in ranges where coversLine(rs) { return true }
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
