import WFCIR
import WFCDiagnostics

/// The strict traceability check (`wfc check --strict`): every non-final state and every
/// rule either cites the clause of the source policy it implements or is declared an
/// assumption with its reason. A rule inside a state is traced by the state's own trace
/// unless it has one (``TraceIR/or(_:)``), so one warning per state covers what is inside it.
/// Runs on the syntax: separation groups have no position in the IR.
enum Traceability {
    static func run(_ w: WorkflowSyntax) -> [Diagnostic] {
        var d: [Diagnostic] = []
        visit(w.states, parent: TraceIR(), &d)
        for g in w.separations where g.trace.ir.isEmpty {
            d.append(Diagnostic(UntracedRule(what: "the separation group [\(g.roles.map(\.value).joined(separator: ", "))]"), at: g.span,
                                label: "no `clause:` or `assumption:`",
                                help: "write the group as `{roles: [\(g.roles.map(\.value).joined(separator: ", "))], clause: …}` (or `assumption: …` with the reason)"))
        }
        for g in w.guarantees where g.trace.ir.isEmpty {
            let what: String = switch g {
            case .checklist(let f, _): "the guarantee that checklist `\(f.value)` is done"
            case .signoff(let roles, _, _): "the guarantee that \(roles.map { "`\($0.value)`" }.joined(separator: ", ")) signed"
            }
            d.append(Diagnostic(UntracedRule(what: what), at: g.span, label: "no `clause:` or `assumption:`", help: helpText))
        }
        if let r = w.reassign, r.trace.ir.isEmpty {
            d.append(Diagnostic(UntracedRule(what: "`reassign:`"), at: r.span, label: "no `clause:` or `assumption:`", help: helpText))
        }
        return d
    }

    static let helpText = "cite the clause it implements (`clause: 四.3`), or declare it an assumption with the reason (`assumption: 原文未规定期限，按公司惯例`)"

    private static func visit(_ states: [StateSyntax], parent: TraceIR, _ d: inout [Diagnostic]) {
        for s in states {
            let trace = s.trace.ir.or(parent)
            switch s.kind {
            case .parallel(let branches): for b in branches { visit(b.states, parent: trace, &d) }
            case .foreach(let f): visit(f.body.states, parent: trace, &d)
            default: break
            }
            if case .final = s.kind { continue }
            guard trace.isEmpty else { continue }
            let inside = untracedRules(in: s)
            d.append(Diagnostic(UntracedRule(what: "state `\(s.name.value)`"), at: s.name.span, label: "no `clause:` or `assumption:`",
                                notes: inside.isEmpty ? [] : ["untraced inside it as well: " + inside.joined(separator: ", ")],
                                help: helpText + "; the rules inside the state inherit it"))
        }
    }

    /// The rules of an untraced state that have no trace of their own.
    private static func untracedRules(in s: StateSyntax) -> [String] {
        var out: [String] = []
        for r in s.requires where r.trace.ir.isEmpty { out.append("a requirement") }
        for t in s.transitions {
            if t.trace.ir.isEmpty {
                out.append("event `\(t.event)`" + (t.violation != nil ? " (with its violation)" : ""))
                for r in t.requires where r.trace.ir.isEmpty { out.append("a requirement of `\(t.event)`") }
            }
        }
        if let due = s.due {
            let dueTrace = due.trace.ir
            if dueTrace.isEmpty { out.append("the deadline") }
            if due.overdueSpan != nil && due.overdueTrace.ir.or(dueTrace).isEmpty { out.append("its overdue actions") }
        }
        if let limit = s.maxRounds, limit.trace.ir.isEmpty { out.append("`max_rounds`") }
        return out
    }
}

struct UntracedRule: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5040", severity: .warning, name: "untraced-rule",
        summary: "A state or rule cites no clause of the source policy and is not declared an assumption.",
        explanation: """
            Reported by `wfc check --strict` only. Every non-final state and every rule (an event \
            and its violation, a deadline and its overdue actions, a round limit, a requirement, a \
            separation group, a guarantee) must say where it comes from: `clause:` names the \
            section of the source policy it implements; `assumption:` declares a rule the source \
            does not state, with the reason, so the company can confirm or remove it (`wfc doc` \
            lists assumptions in a section of their own). A rule inside a state without a trace \
            of its own is traced by the state's; a state inside a parallel branch or foreach body \
            by the owning state's.
            """,
        example: "states:\n  review:\n    title: 交接审核\n    due: 3 working days\n    on: {approve: {by: manager, to: done}}\n",
        fix: "states:\n  review:\n    title: 交接审核\n    clause: 四.3\n    due: {within: 3 working days, assumption: 原文未规定期限，按公司惯例}\n    on: {approve: {by: manager, to: done}}\n")
    var what: String
    var message: String { "\(what) cites no clause and is not declared an assumption" }
}

struct EmptyAssumption: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2013", name: "empty-assumption", summary: "An `assumption:` gives no reason.",
        explanation: """
            `assumption:` declares a state or rule that the source policy does not state. Its \
            value is the reason the rule is there anyway, which `wfc doc` shows so that the \
            company can confirm or remove it. An empty reason says nothing.
            """,
        example: "due: {within: 3 working days, assumption: \"\"}\n",
        fix: "due: {within: 3 working days, assumption: 原文未规定期限，按公司惯例}\n")
    var message: String { "`assumption:` needs the reason the rule is there" }
}

struct UnboundedWithoutReason: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2014", name: "unbounded-without-reason", summary: "`max_rounds: unbounded` does not say why the loop has no bound.",
        explanation: """
            A review loop that the source policy leaves unbounded may say so with \
            `max_rounds: {limit: unbounded, assumption: REASON}` (or `clause:` when the source \
            itself says the loop repeats until it succeeds). This silences the unbounded-loop \
            warning (WFC5009) for loops through the state, imposes no bound at run time and is \
            listed as an assumption by `wfc doc`. The reason is required: the bare word would \
            only hide the warning.
            """,
        example: "review:\n  max_rounds: unbounded\n",
        fix: "review:\n  max_rounds: {limit: unbounded, assumption: 原文未规定退回次数上限}\n")
    var state: String
    var message: String { "the unbounded round limit of `\(state)` gives no reason" }
}
