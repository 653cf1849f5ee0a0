import WFCDiagnostics
import WFCYAML

/// The sign-off modes beyond all-of and N-of-M: `in_order` (依次), `any` (或签) and the
/// `add` (加签) policy. Each is compiled onto the existing parts of a sign-off, so the
/// separation, guarantee and liveness checks read them as they read `all` and `n`/`of`.
extension WorkflowParser {
    /// The positions an added signer may take, in the order written in docs.
    static let addPositions = ["before", "after", "parallel"]

    mutating func parseSignoffModes(_ m: MappingReader, _ s: inout SignoffSyntax) {
        // One mode per sign-off: an ordered list, a choice of one, or all/n-of.
        for other: Key in ["all", "n", "of", "also", "any"] where m.has("in_order") && m.has(other) {
            m.conflict("in_order", other, &d, reason: "an in-order sign-off lists every party, in order, under `in_order`")
        }
        for other: Key in ["all", "n", "of", "also"] where m.has("any") && m.has(other) {
            m.conflict("any", other, &d, reason: "`any: [...]` is `n: 1` of its list; write `n`/`of` to combine with other parties")
        }
        if let node = m.value("in_order"), !m.has("all"), !m.has("n"), !m.has("of"), !m.has("also"), !m.has("any") {
            s.order = parseOrder(node)
            s.all = s.order.flatMap { $0 }
            if s.order.count == 1, let only = s.order.first {
                let names = only.map(\.value).joined(separator: ", ")
                d.append(Diagnostic(SingleStepOrder(roles: names), at: node.span.in(file), label: "one step: nothing comes before or after",
                                    help: "write `signoff: [\(names)]`, or list the parties in the order they sign"))
            }
        }
        if m.has("any"), !m.has("in_order"), !m.has("all"), !m.has("n"), !m.has("of"), !m.has("also") {
            s.of = m.stringList("any", &d) ?? []
            s.any = true
            if let v = m.value("any") {
                s.quorum = Spanned(1, v.span.in(file))
                if s.of.count == 1 {
                    d.append(Diagnostic(SingleAnyParty(role: s.of[0].value), at: v.span.in(file), label: "one party: nothing to choose",
                                        help: "write `signoff: [\(s.of[0].value)]`, or list the roles any one of whom may sign"))
                }
            }
        }
        if let node = m.value("add") {
            s.add = parseSignoffAdd(node)
        }
    }

    /// `in_order: [a, [b, c], d]`: one slot per entry; a nested list is a group that signs
    /// together, in any order.
    mutating func parseOrder(_ node: YAMLNode) -> [[Spanned<String>]] {
        guard let items = node.sequence else { return MappingReader.stringList(node, what: "`in_order`", file: file, &d).map { [$0] } }
        var out: [[Spanned<String>]] = []
        for item in items {
            if item.sequence != nil {
                let group = MappingReader.stringList(item, what: "a group of `in_order`", file: file, &d)
                if group.isEmpty { d.append(Diagnostic(EmptyList(what: "a group of `in_order`"), at: item.span.in(file))) } else { out.append(group) }
            } else if let r = MappingReader.string(item, what: "an entry of `in_order`", file: file, &d) {
                out.append([r])
            }
        }
        return out
    }

    mutating func parseSignoffAdd(_ node: YAMLNode) -> SignoffAddSyntax? {
        guard let m = MappingReader(node, file: file, context: "`add` of a sign-off", known: Self.signoffAddKeys, diagnostics: &d) else { return nil }
        let by = m.stringList("by", &d) ?? []
        if !m.has("by") { m.missing("by", &d) } else if by.isEmpty, let v = m.value("by") {
            d.append(Diagnostic(EmptyList(what: "`by` of `add`"), at: v.span.in(file)))
        }
        var positions: [String] = []
        if let v = m.value("positions") {
            for p in MappingReader.stringList(v, what: "`positions` of `add`", file: file, &d) {
                if !Self.addPositions.contains(p.value) {
                    d.append(Diagnostic(InvalidValue(what: "position of an added signer", value: p.value, allowed: Self.addPositions), at: p.span))
                } else if !positions.contains(p.value) {
                    positions.append(p.value)
                }
            }
            if positions.isEmpty, v.sequence?.isEmpty ?? false { d.append(Diagnostic(EmptyList(what: "`positions` of `add`"), at: v.span.in(file))) }
        } else {
            positions = Self.addPositions
        }
        return SignoffAddSyntax(by: by, positions: positions, span: node.span.in(file))
    }
}

/// `any:` with one party: an any-one sign-off with nothing to choose from.
struct SingleAnyParty: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2022", severity: .warning, name: "single-party-any", summary: "An any-one sign-off (或签) lists one party.",
        explanation: """
            `signoff: {any: [a, b, c]}` finishes when any one of the listed parties signs. With one \
            party there is no choice: it is that party's sign-off, and the policy probably meant to \
            list the others who may sign instead.
            """,
        example: "signoff: {any: [hr]}\n",
        fix: "signoff: {any: [hr, hr_director]}\n")
    var role: String
    var message: String { "the any-one sign-off lists only `\(role)`" }
}

/// `in_order:` with one step (one party, or one group): nothing is ordered.
struct SingleStepOrder: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2023", severity: .warning, name: "single-step-in-order", summary: "An in-order sign-off (依次) has one step.",
        explanation: """
            `in_order` lists the steps of a sign-off in the order they sign; a nested list is a step \
            whose parties sign in any order. With one step nothing comes before or after anything: \
            it is an all-of sign-off, and the policy probably meant to order its parties.
            """,
        example: "signoff: {in_order: [[handover, receiver]]}\n",
        fix: "signoff: {in_order: [handover, receiver]}\n")
    var roles: String
    var message: String { "the in-order sign-off has one step: [\(roles)]" }
}
