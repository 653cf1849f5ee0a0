import WFCIR
import WFCCalendar
import Foundation
import WFCDiagnostics
import WFCYAML

/// Phases 2 and 3: resolves every name (states, roles, fields, regions) and the schema's
/// types, and lowers the syntax to the IR with integer ids. Expressions are type-checked
/// afterwards by ``ExpressionPhase``.
struct Resolver {
    let syntax: WorkflowSyntax
    let sources: SourceMap
    var d: [Diagnostic] = []

    private var roleIDs = NameIndex()
    private var fieldIDs = NameIndex()
    private var stateIDs = NameIndex()
    /// Each state's name span, by id (for labels that point at a state's definition).
    private var stateSpans: [SourceSpan] = []
    private var usesWorkingDays: SourceSpan?

    init(syntax: WorkflowSyntax, sources: SourceMap, lineColumns: Bool = true) {
        self.syntax = syntax
        self.lineColumns = lineColumns
        self.sources = sources
        self.mainFileNameCache = PathText.lastComponent(syntax.file)
        self.mainSource = sources[syntax.file]
        self.mainPath = SourcePath(syntax.file)
    }

    private let mainPath: SourcePath
    /// Whether ``spanIR(_:)`` works out line and column (see `WorkflowCompiler.irLineColumns`).
    private let lineColumns: Bool

    private let mainFileNameCache: String
    /// The workflow's own file: nearly every span is in it, and a lookup hashes the path.
    private let mainSource: SourceFile?
    /// The line of the last span converted in the main file: spans mostly come in file order.
    private var lineHint = 0

    /// IR spans name files relative to the workflow's folder, so the IR (and its content
    /// hash) does not depend on the directory wfc ran in.
    mutating func spanIR(_ s: SourceSpan) -> SpanIR {
        let inMain = s.path == mainPath
        let lc = !lineColumns ? LineColumn(line: 0, column: 0)
            : inMain ? (mainSource?.lineColumn(of: s.start, hint: &lineHint) ?? LineColumn(line: 0, column: 0))
            : (sources[s.file]?.lineColumn(of: s.start) ?? LineColumn(line: 0, column: 0))
        return SpanIR(file: inMain ? mainFileName : relative(s.file), start: s.start, end: s.end, line: lc.line, column: lc.column)
    }

    private var mainFileName: String { mainFileNameCache }

    /// A fragment's path relative to the workflow's folder.
    private func relative(_ path: String) -> String {
        let dir = PathText.directory(syntax.file)
        if !dir.isEmpty, path.hasPrefix(dir + "/") { return String(path.dropFirst(dir.count + 1)) }
        return path
    }

    mutating func exprIR(_ e: ExprSyntax) -> ExprIR { ExprIR(source: e.source, span: spanIR(e.span), type: nil) }

    mutating func lower() -> WorkflowIR {
        // Roles.
        var roles: [RoleIR] = []
        for r in syntax.roles {
            _ = roleIDs.insert(r.name.value, id: roles.count)
            roles.append(RoleIR(id: roles.count, name: r.name.value, title: r.title?.value, span: spanIR(r.name.span),
                                substitutes: r.substitutes?.value == false ? false : nil))
        }
        // Schema.
        let types = SchemaTypes(file: syntax.file)
        var fields: [FieldIR] = []
        for f in syntax.fields {
            guard var ir = types.lowerField(f, id: fields.count, &d) else { continue }
            ir.span = spanIR(f.name.span)
            _ = fieldIDs.insert(f.name.value, id: fields.count)
            fields.append(ir)
        }
        let separations = syntax.separations.map { g -> [Int] in
            if g.roles.count < 2 {
                d.append(Diagnostic(EmptyList(what: "a separation group (it needs two or more roles)"), at: g.span))
            }
            return g.roles.compactMap { role($0) }
        }
        // States: give every state in every region an id first, so targets resolve in any order.
        var regions: [RegionIR] = [RegionIR(id: 0, name: syntax.id.value, title: syntax.title?.value, owner: nil, start: nil, states: [])]
        // States are large: `pending` refers to them by list and position instead of copying.
        var lists: [[StateSyntax]] = [syntax.states]
        var pending: [(list: Int, index: Int, region: Int)] = []
        pending.reserveCapacity(syntax.states.count)
        stateIDs = NameIndex(capacity: syntax.states.count)
        stateSpans.reserveCapacity(syntax.states.count)
        var owned: [Int: [Int]] = [:]
        var regionSyntax: [Int: RegionSyntax] = [:]
        var work: [(list: Int, region: Int)] = [(0, 0)]
        var next = 0
        // Breadth-first over regions; ids are assigned before any target is resolved.
        while next < work.count {
            let (listIndex, region) = work[next]
            next += 1
            // By position: a state is large, and copying one retains every field.
            for position in lists[listIndex].indices {
                let name = lists[listIndex][position].name
                let index = pending.count
                if let first = stateIDs.insert(name.value, id: index) {
                    d.append(Diagnostic(DuplicateName(kind: "state", name: name.value), at: name.span, label: "defined again",
                                        secondary: [Label(stateSpans[first], "first defined here")]))
                    continue
                }
                stateSpans.append(name.span)
                pending.append((listIndex, position, region))
                regions[region].states.append(index)
                var nested: [RegionSyntax] = []
                switch lists[listIndex][position].kind {
                case .parallel(let branches): nested = branches
                case .foreach(let f): nested = [f.body]
                default: break
                }
                for r in nested {
                    let id = regions.count
                    regions.append(RegionIR(id: id, name: r.name.value, title: r.title?.value, owner: index, start: nil, states: []))
                    if case .foreach(let f) = lists[listIndex][position].kind {
                        regions[id].alias = f.alias.value
                        regions[id].list = exprIR(f.list)
                    }
                    owned[index, default: []].append(id)
                    regionSyntax[id] = r
                    lists.append(r.states)
                    work.append((lists.count - 1, id))
                }
            }
        }
        let regionOf = pending.map(\.region)
        if let start = syntax.start {
            regions[0].start = target(start, region: 0, regionOf: regionOf)
        }
        for (id, r) in regionSyntax.sorted(by: { $0.key < $1.key }) {
            if let start = r.start { regions[id].start = target(start, region: id, regionOf: regionOf) }
        }
        var states: [StateIR] = []
        states.reserveCapacity(pending.count)
        for (i, p) in pending.enumerated() {
            states.append(lowerState(lists[p.list][p.index], id: i, region: p.region, regions: owned[i] ?? [], regionOf: regionOf))
        }
        // Guarantees.
        var guarantees: [GuaranteeIR] = []
        var guaranteeAssumptions: [String?] = []
        for g in syntax.guarantees {
            switch g {
            case .checklist(let f, let trace):
                if let id = checklistField(f, fields) {
                    guarantees.append(.checklist(field: id, span: spanIR(f.span), clause: trace.clause?.value))
                    guaranteeAssumptions.append(trace.assumption?.value)
                }
            case .signoff(let rs, let span, let trace):
                guarantees.append(.signoff(roles: rs.compactMap { role($0) }, span: spanIR(span), clause: trace.clause?.value))
                guaranteeAssumptions.append(trace.assumption?.value)
            }
        }
        checkCalendar()
        var ir = WorkflowIR(
            id: syntax.id.value, version: syntax.version?.value ?? 0, title: syntax.title?.value ?? "", source: syntax.source?.value,
            calendar: syntax.calendar?.value, file: PathText.lastComponent(syntax.file), roles: roles, separations: separations, fields: fields,
            guarantees: guarantees, regions: regions, states: states, contentHash: nil)
        ir.omits = syntax.omits.map { OmittedClauseIR(clause: $0.clause.value, reason: $0.reason.value) }
        // Written only when used, so that the IR of a file without them is unchanged.
        let separationTraces = syntax.separations.map(\.trace.ir)
        if separationTraces.contains(where: { !$0.isEmpty }) { ir.separationTraces = separationTraces }
        if guaranteeAssumptions.contains(where: { $0 != nil }) { ir.guaranteeAssumptions = guaranteeAssumptions }
        // Roles some transition binds during the case (`assign:`) are not bound at start.
        for s in ir.states { for t in s.transitions { for r in t.assign ?? [] where ir.roles.indices.contains(r) { ir.roles[r].assigned = true } } }
        if let r = syntax.reassign {
            ir.reassign = ReassignIR(by: r.by.compactMap { role($0) }, roles: r.roles.map { $0.compactMap { role($0) } },
                                     clause: r.trace.clause?.value, assumption: r.trace.assumption?.value, span: spanIR(r.span))
        }
        return ir
    }

    private mutating func lowerState(_ s: StateSyntax, id: Int, region: Int, regions owned: [Int], regionOf: [Int]) -> StateIR {
        var st = StateIR(id: id, name: s.name.value, title: s.title?.value, clause: s.clause?.value, kind: .task, region: region,
                         span: spanIR(s.name.span), transitions: [], requires: [], due: nil, then: nil, maxRounds: s.maxRounds?.limit?.value,
                         fills: [], outcome: nil, choice: [], otherwise: nil, signoff: nil, regions: owned, wait: nil)
        st.assumption = s.assumption?.value
        switch s.kind {
        case .task: st.kind = .task
        case .final(let o):
            st.kind = .final
            st.outcome = o.value
        case .choice(let arms, let otherwise):
            st.kind = .choice
            st.choice = arms.map { ChoiceArmIR(condition: exprIR($0.when), target: target($0.to, region: region, regionOf: regionOf), span: spanIR($0.span)) }
            st.otherwise = otherwise.flatMap { target($0, region: region, regionOf: regionOf) }
        case .signoff(let so):
            st.kind = .signoff
            st.signoff = SignoffIR(all: so.all.compactMap { role($0) }, quorum: so.quorum?.value, of: so.of.compactMap { role($0) },
                                   conditional: so.conditional.compactMap { c in role(c.role).map { ConditionalPartyIR(role: $0, condition: exprIR(c.when)) } },
                                   span: spanIR(so.span), inOrder: so.order.isEmpty ? nil : so.order.map { $0.compactMap { role($0) } },
                                   add: so.add.map { SignoffAddIR(by: $0.by.compactMap { role($0) }, positions: $0.positions, span: spanIR($0.span)) })
        case .parallel: st.kind = .parallel
        case .foreach: st.kind = .foreach
        case .wait(let w):
            st.kind = .wait
            if let dur = w.duration { noteWorkingDays(dur) }
            st.wait = WaitIR(until: w.until.map { exprIR($0) }, duration: w.duration.map { DurationIR(amount: $0.value.amount, unit: $0.value.unit.rawValue) })
        }
        st.transitions.reserveCapacity(s.transitions.count)
        for alt in s.transitions {
            var t = TransitionIR(event: alt.event, roles: alt.by.compactMap { role($0) }, target: nil, guardExpr: alt.when.map { exprIR($0) },
                                 assignments: [], fills: alt.fills.compactMap { field($0) }, requires: alt.requires.compactMap { requirement($0) },
                                 violation: alt.violation?.value, clause: alt.clause?.value, title: alt.title?.value, span: spanIR(alt.span))
            t.assumption = alt.assumption?.value
            t.requireTraces = Self.traces(alt.requires)
            if let to = alt.to {
                t.target = target(to, region: region, regionOf: regionOf)
                t.join = to.value == "join" && region != 0
            }
            for (f, v) in alt.set {
                if let fid = field(f) { t.assignments.append(AssignmentIR(field: fid, value: exprIR(v))) }
            }
            if !alt.assign.isEmpty { t.assign = alt.assign.compactMap { role($0) } }
            guard !alt.backTo.isEmpty else { st.transitions.append(t); continue }
            // `back_to:` lowers to one transition per allowed target, each marked: every check
            // of the graph sees each target as an edge; the runtime takes the one chosen.
            t.backTo = true
            var seen: [Int] = []
            for to in alt.backTo {
                guard let step = target(to, region: region, regionOf: regionOf), !seen.contains(step) else { continue }
                seen.append(step)
                var one = t
                one.target = step
                st.transitions.append(one)
            }
        }
        if let limit = s.maxRounds {
            var r = RoundLimitIR(escalate: limit.escalate.compactMap { role($0) }, violation: limit.violation?.value, clause: limit.trace.clause?.value, span: spanIR(limit.keySpan))
            r.assumption = limit.trace.assumption?.value
            if limit.unbounded { r.unbounded = true }
            if let then = limit.then {
                if then.value == "join" && region != 0 { r.join = true } else { r.target = target(then, region: region, regionOf: regionOf) }
                // Entering the state itself would only hit the same limit again.
                if r.target == id {
                    d.append(Diagnostic(InvalidValue(what: "`then` of `max_rounds`", value: then.value, allowed: ["another state of the same region"]),
                                        at: then.span, label: "the state whose rounds are used up"))
                    r.target = nil
                }
            }
            st.roundLimit = r
        }
        st.requires = s.requires.compactMap { requirement($0) }
        st.requireTraces = Self.traces(s.requires)
        st.fills = s.fills.compactMap { field($0) }
        if let then = s.then {
            if then.value == "join" && region != 0 {
                st.thenJoin = true
            } else {
                st.then = target(then, region: region, regionOf: regionOf)
            }
        }
        if let due = s.due {
            if let w = due.within { noteWorkingDays(w) }
            // Built whole, then stored: each write through `st.due?` is a uniqueness check
            // and an optional's copy.
            var ir = DueIR(within: due.within.map { DurationIR(amount: $0.value.amount, unit: $0.value.unit.rawValue) }, by: due.by.map { exprIR($0) },
                           escalate: due.escalate.compactMap { role($0) }, target: due.to.flatMap { target($0, region: region, regionOf: regionOf) },
                           violation: due.violation?.value, span: spanIR(due.span))
            ir.clause = due.trace.clause?.value
            ir.assumption = due.trace.assumption?.value
            ir.overdueClause = due.overdueTrace.clause?.value
            ir.overdueAssumption = due.overdueTrace.assumption?.value
            st.due = ir
        }
        if let r = s.remind, let after = r.after {
            noteWorkingDays(after)
            var ir = ReminderIR(after: DurationIR(amount: after.value.amount, unit: after.value.unit.rawValue),
                                every: r.every.map { DurationIR(amount: $0.value.amount, unit: $0.value.unit.rawValue) },
                                times: r.times?.value, to: r.to.isEmpty ? nil : r.to.compactMap { role($0) },
                                untilDeadline: r.underDue ? true : nil, span: spanIR(r.span))
            ir.clause = r.trace.clause?.value
            ir.assumption = r.trace.assumption?.value
            st.remind = ir
        }
        if let c = s.cc {
            let enter = c.enter.compactMap { role($0) }, leave = c.leave.compactMap { role($0) }
            var ir = CarbonCopyIR(enter: enter.isEmpty ? nil : enter, leave: leave.isEmpty ? nil : leave, span: spanIR(c.span))
            ir.clause = c.trace.clause?.value
            ir.assumption = c.trace.assumption?.value
            st.cc = ir
        }
        return st
    }

    // MARK: lookups

    /// Resolves a target in `region`. `join` ends a branch or foreach body. Unknown targets are
    /// left to the graph check ``UndefinedTarget`` (returns nil and records nothing here).
    private mutating func target(_ name: Spanned<String>, region: Int, regionOf: [Int]) -> Int? {
        if name.value == "join" {
            if region == 0 {
                d.append(Diagnostic(JoinOutsideRegion(), at: name.span, label: "not inside a branch or foreach"))
            }
            return nil
        }
        guard let id = stateIDs.id(of: name.value) else {
            d.append(UndefinedTarget.diagnostic(name, known: stateIDs.allNames))
            return nil
        }
        if id < regionOf.count, regionOf[id] != region {
            d.append(Diagnostic(TargetOutsideRegion(name: name.value), at: name.span, label: "in another region",
                                secondary: stateSpans.indices.contains(id) ? [Label(stateSpans[id], "defined here")] : []))
            return nil
        }
        return id
    }

    private mutating func role(_ name: Spanned<String>) -> Int? {
        if let id = roleIDs.id(of: name.value) { return id }
        let names = syntax.roles.map(\.name.value)
        let suggestion = Suggestions.closest(to: name.value, among: names)
        d.append(Diagnostic(UnknownRole(name: name.value), at: name.span, label: "not a declared role",
                            help: suggestion.map { "did you mean `\($0)`?" } ?? "declare it under `roles:`, or use one of: \(names.joined(separator: ", "))",
                            fixIts: suggestion.map { [FixIt("use the declared role", replacing: name.span, with: $0)] } ?? []))
        return nil
    }

    private mutating func field(_ name: Spanned<String>) -> Int? {
        // `set:` and `fills:` name case fields; `case.` in front is accepted too.
        let bare = name.value.hasPrefix("case.") ? String(name.value.dropFirst(5)) : name.value
        if let id = fieldIDs.id(of: bare) { return id }
        let names = syntax.fields.map(\.name.value)
        d.append(Diagnostic(UnknownField(name: bare), at: name.span, label: "not a case field",
                            help: Suggestions.didYouMean(bare, names) ?? "declare it under `case:`"))
        return nil
    }

    private mutating func checklistField(_ name: Spanned<String>, _ fields: [FieldIR]) -> Int? {
        guard let id = field(name) else { return nil }
        guard case .checklist = fields[id].type else {
            d.append(Diagnostic(NotAChecklist(name: name.value, type: fields[id].type.description), at: name.span))
            return nil
        }
        return id
    }

    /// The requirements' own traces, aligned with the IR's `requires`; nil when none has one.
    /// A requirement dropped by ``requirement(_:)`` is an error, so no IR is made then.
    private static func traces(_ rs: [RequirementSyntax]) -> [TraceIR]? {
        let traces = rs.map(\.trace.ir)
        return traces.contains(where: { !$0.isEmpty }) ? traces : nil
    }

    private mutating func requirement(_ r: RequirementSyntax) -> RequirementIR? {
        switch r {
        case .expression(let e, let m, _):
            return .expression(exprIR(e), message: m?.value)
        case .allDone(let f, let m, _):
            guard let id = field(f) else { return nil }
            guard fieldTypeIsChecklist(f.value) else {
                d.append(Diagnostic(NotAChecklist(name: f.value, type: "it is not declared with `checklist:`"), at: f.span))
                return nil
            }
            return .allDone(field: id, span: spanIR(f.span), message: m?.value)
        }
    }

    private func fieldTypeIsChecklist(_ name: String) -> Bool {
        guard let f = syntax.fields.first(where: { $0.name.value == name }) else { return false }
        if case .checklist = f.type { return true }
        return false
    }

    private mutating func noteWorkingDays(_ d: Spanned<DurationSyntax>) {
        if d.value.unit == .workingDays, usesWorkingDays == nil { usesWorkingDays = d.span }
    }

    private mutating func checkCalendar() {
        // Whether a named calendar exists is decided by the compiler's CalendarLookup (built in,
        // or a file in the repository's calendars/ folder).
        if syntax.calendar == nil, let use = usesWorkingDays {
            d.append(Diagnostic(CalendarRequired(), at: use, label: "working days need a calendar",
                                help: "add `calendar: cn-mainland` at the top of the file"))
        }
    }
}

/// The calendars wfc ships working-day data for. A workflow may also name a company calendar
/// file (see ``CalendarLookup``).
public enum KnownCalendars {
    public static let ids = WorkingCalendar.builtinIDs
}

struct UnknownRole: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3001", name: "unknown-role", summary: "A role is used but not declared.",
        explanation: "Every role named in `by:`, `signoff:`, `separate:`, `escalate:` or `guarantees:` must be declared under `roles:`.",
        example: "roles:\n  manager: {title: 直接上级}\nstates:\n  review: {on: {approve: {by: manger, to: done}}}\n",
        fix: "roles:\n  manager: {title: 直接上级}\nstates:\n  review: {on: {approve: {by: manager, to: done}}}\n")
    var name: String
    var message: String { "unknown role `\(name)`" }
}

struct UnknownField: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3003", name: "unknown-field", summary: "A case field is used but not declared.",
        explanation: "Fields named in `set:`, `fills:`, `all_done:` and `guarantees:` must be declared under `case:`.",
        example: "case:\n  items: {checklist: {name: string}}\nstates:\n  execute: {requires: {all_done: itmes}}\n",
        fix: "case:\n  items: {checklist: {name: string}}\nstates:\n  execute: {requires: {all_done: items}}\n")
    var name: String
    var message: String { "unknown case field `\(name)`" }
}

struct NotAChecklist: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3011", name: "not-a-checklist", summary: "A checklist is expected but the field is not one.",
        explanation: "`all_done:` and checklist guarantees need a field declared with `checklist: {...}`, whose items carry a `done` flag.",
        example: "case:\n  items: {list: {name: string}}\nguarantees:\n  - checklist: items\n",
        fix: "case:\n  items: {checklist: {name: string}}\nguarantees:\n  - checklist: items\n")
    var name: String
    var type: String
    var message: String { "`\(name)` is not a checklist (\(type))" }
    var help: String? { "declare it as `\(name): {checklist: {...}}`" }
}

struct TargetOutsideRegion: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3010", name: "target-outside-region", summary: "A transition jumps into or out of a parallel branch or foreach body.",
        explanation: """
            States inside a branch or a foreach body can only move to states of the same branch, \
            or to `join` to finish. The owning state's `then:` says where the flow goes after all \
            branches have joined.
            """,
        example: "states:\n  wrap_up:\n    parallel:\n      assets: {start: return_assets, states: {return_assets: {on: {done: {by: handover, to: archive}}}}}\n",
        fix: "states:\n  wrap_up:\n    parallel:\n      assets: {start: return_assets, states: {return_assets: {on: {done: {by: handover, to: join}}}}}\n    then: archive\n")
    var name: String
    var message: String { "`\(name)` is in another region; a transition cannot cross into or out of a branch" }
    var help: String? { "finish the branch with `to: join` and continue with the owning state's `then:`" }
}

struct JoinOutsideRegion: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3012", name: "join-outside-region", summary: "`to: join` is used outside a branch or foreach body.",
        explanation: "`join` finishes a parallel branch or one foreach item. At the top level of the workflow there is nothing to join.",
        example: "states:\n  review: {on: {approve: {by: manager, to: join}}}\n",
        fix: "states:\n  review: {on: {approve: {by: manager, to: done}}}\n")
    var message: String { "`join` is only a target inside a parallel branch or a foreach body" }
}

struct UnknownCalendar: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3008", name: "unknown-calendar", summary: "The workflow names a calendar wfc has no data for.",
        explanation: "Working-day deadlines use a holiday calendar. wfc ships `cn-mainland` (statutory holidays and make-up working days of mainland China). Any other id names a company calendar file, `calendars/ID.json` at the root of the repository that holds the workflow (the nearest folder above it with `.git` or `.wfc.yaml`); see docs/calendar.md.",
        example: "calendar: china\n",
        fix: "calendar: cn-mainland\n")
    var name: String
    var message: String { "unknown calendar `\(name)`" }
}

struct CalendarRequired: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3007", name: "calendar-required", summary: "Working days are used but the workflow has no calendar.",
        explanation: "`N working days` skips weekends and public holidays, which differ by country and year, so the workflow must say which calendar it follows.",
        example: "workflow: handover\n# no calendar\nstates:\n  review: {due: 3 working days}\n",
        fix: "workflow: handover\ncalendar: cn-mainland\nstates:\n  review: {due: 3 working days}\n")
    var message: String { "working days are used, but the workflow has no `calendar:`" }
}

