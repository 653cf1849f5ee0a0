import WFCExpressions
import WFCIR
import WFCDiagnostics
import WFCYAML

/// Phase 1: YAML nodes → ``WorkflowSyntax``. Collects every structural error; never stops at
/// the first.
struct WorkflowParser {
    let file: SourcePath
    /// Fragments available to `use:`, by id, already loaded.
    let fragments: [String: FragmentSyntax]
    var d: [Diagnostic] = []

    static let topKeys: KeySet = ["workflow", "version", "title", "description", "source", "calendar", "import",
                          "roles", "separate", "case", "guarantees", "omits", "start", "states", "reassign"]
    static let stateKeys: KeySet = ["title", "description", "clause", "assumption", "on", "requires", "due", "then", "max_rounds", "fills",
                            "use", "final", "choice", "signoff", "parallel", "foreach", "as", "start", "states", "wait",
                            "remind", "cc"]
    static let kindKeys: InlineArray<6, Key> = ["final", "choice", "signoff", "parallel", "foreach", "wait"]
    static let requirementKeys: KeySet = ["all_done", "expr", "message", "clause", "assumption"]
    static let allNOfAlsoKeys: KeySet = ["all", "n", "of", "also", "in_order", "any", "add"]
    static let signoffAddKeys: KeySet = ["by", "positions"]
    static let guaranteeKeys: KeySet = ["checklist", "signoff", "clause", "assumption"]
    static let separationKeys: KeySet = ["roles", "clause", "assumption"]
    static let clauseReasonKeys: KeySet = ["clause", "reason"]
    static let overdueKeys: KeySet = ["escalate", "to", "violation", "clause", "assumption"]
    static let calendarKeys: KeySet = ["id", "provisional"]
    static let titleDescriptionKeys: KeySet = ["title", "description"]
    static let roleKeys: KeySet = ["title", "description", "substitutes"]
    static let titleStartStatesKeys: KeySet = ["title", "start", "states"]
    static let untilForKeys: KeySet = ["until", "for"]
    static let whenToOtherwiseKeys: KeySet = ["when", "to", "otherwise"]
    static let dueKeys: KeySet = ["within", "by", "overdue", "clause", "assumption", "remind"]
    static let transitionKeys: KeySet = ["by", "to", "when", "set", "fills", "requires", "violation", "clause", "assumption", "title", "description",
                                   "assign", "back_to"]
    static let reassignKeys: KeySet = ["by", "roles", "clause", "assumption"]
    static let fieldKeys: KeySet = ["type", "enum", "record", "list", "checklist", "default", "optional", "title", "description"]
    static let foreachKeys: InlineArray<3, Key> = ["as", "start", "states"]
    static let typeKeys: [Key] = ["type", "enum", "record", "list", "checklist"]
    static let scalarTypes = ["string", "int", "decimal", "bool", "date", "datetime", "duration"]
    static let outcomes = ["completed", "rejected", "cancelled", "withdrawn"]

    mutating func parse(_ root: YAMLNode) -> WorkflowSyntax? {
        guard root.mapping != nil, root["workflow"] != nil else {
            d.append(Diagnostic(NotAWorkflow(), at: root.span.in(file), label: root.mapping == nil ? "expected a mapping" : "no `workflow:` key"))
            return nil
        }
        guard let m = MappingReader(root, file: file, context: "the workflow", known: Self.topKeys, diagnostics: &d) else { return nil }
        let id = m.string("workflow", required: true, &d) ?? Spanned("", root.span.in(file))
        if !id.value.isEmpty && !Identifier.isWorkflowID(id.value) {
            d.append(Diagnostic(InvalidIdentifier(name: id.value, what: "workflow id", rule: Identifier.workflowRule), at: id.span))
        }
        var w = WorkflowSyntax(file: file.string, id: id, statesSpan: m.keySpan("states") ?? root.span.in(file), rootSpan: root.span.in(file))
        w.version = m.int("version", required: true, &d)
        w.title = m.string("title", required: true, &d)
        w.source = m.string("source", &d)
        if let c = m.value("calendar"), c.mapping != nil {
            parseCalendar(c, into: &w)
        } else {
            w.calendar = m.string("calendar", &d)
        }
        if let imports = m.stringList("import", &d) { w.imports = imports }
        if let roles = m.value("roles") { w.roles = parseRoles(roles) } else { m.missing("roles", &d) }
        if let sep = m.value("separate") { w.separations = parseSeparations(sep) }
        if let c = m.value("case") { w.fields = parseFields(c, context: "the case schema") }
        if let g = m.value("guarantees") { w.guarantees = parseGuarantees(g) }
        if let o = m.value("omits") { w.omits = parseOmits(o) }
        if let r = m.value("reassign") { w.reassign = parseReassign(r) }
        w.start = m.string("start", required: true, &d)
        if let states = m.value("states") {
            w.states = parseStates(states, region: "the workflow")
        } else {
            m.missing("states", &d)
        }
        return w
    }

    /// `calendar: {id: cn-mainland, provisional: law}`.
    mutating func parseCalendar(_ node: YAMLNode, into w: inout WorkflowSyntax) {
        guard let m = MappingReader(node, file: file, context: "`calendar`", known: Self.calendarKeys, diagnostics: &d) else { return }
        w.calendar = m.string("id", required: true, &d)
        if let p = m.string("provisional", &d) {
            if p.value == "law" {
                w.calendarProvisional = p
            } else {
                d.append(Diagnostic(InvalidValue(what: "provisional calendar rule", value: p.value, allowed: ["law"]), at: p.span,
                                    help: "`provisional: law` computes the year after the calendar's last one from the holiday law"))
            }
        }
    }

    // MARK: roles, separation, schema

    mutating func parseRoles(_ node: YAMLNode) -> [RoleSyntax] {
        guard let pairs = node.mapping else {
            d.append(Diagnostic(WrongType(what: "`roles`", expected: "a mapping of role ids to titles", found: node.kindDescription),
                                at: node.span.in(file), help: "write each role as `id: {title: 中文名}`, e.g. `handover: {title: 交接人}`"))
            return []
        }
        var roles: [RoleSyntax] = []
        for p in pairs {
            guard let name = identifier(p.key, what: "role id") else { continue }
            if p.value.scalar != nil {
                roles.append(RoleSyntax(name: name, title: MappingReader.string(p.value, what: "the title of role `\(name.value)`", file: file, &d)))
                continue
            }
            guard let r = MappingReader(p.value, file: file, context: MappingContext("role", name.value), known: Self.roleKeys, diagnostics: &d) else { continue }
            roles.append(RoleSyntax(name: name, title: r.string("title", &d), substitutes: Self.substitutes(r, &d)))
        }
        return roles
    }

    /// `reassign: {by: [hr], roles: [handler], clause: 五.2}`: who may hand tasks or roles on.
    mutating func parseReassign(_ node: YAMLNode) -> ReassignSyntax? {
        guard let m = MappingReader(node, file: file, context: "`reassign`", known: Self.reassignKeys, diagnostics: &d) else { return nil }
        let by = m.stringList("by", &d) ?? []
        if by.isEmpty { d.append(Diagnostic(ReassignWithoutBy(), at: node.span.in(file), label: "no `by:`", help: "name the roles that may hand tasks on, e.g. `by: [hr]`")) }
        return ReassignSyntax(by: by, roles: m.stringList("roles", &d), trace: trace(m), span: node.span.in(file))
    }

    /// `separate: [[a, b], {roles: [a, c], clause: 四.4}]`: a group is a list of roles, or a
    /// mapping that also traces it.
    mutating func parseSeparations(_ node: YAMLNode) -> [SeparationSyntax] {
        guard let groups = node.sequence else {
            d.append(Diagnostic(WrongType(what: "`separate`", expected: "a list of role lists", found: node.kindDescription),
                                at: node.span.in(file), help: "e.g. `separate: [[handover, receiver], {roles: [handover, witness], clause: 四.4}]`"))
            return []
        }
        var out: [SeparationSyntax] = []
        for g in groups {
            guard g.mapping != nil else {
                out.append(SeparationSyntax(roles: MappingReader.stringList(g, what: "a separation group", file: file, &d), span: g.span.in(file)))
                continue
            }
            guard let m = MappingReader(g, file: file, context: "a separation group", known: Self.separationKeys, diagnostics: &d) else { continue }
            guard let roles = m.stringList("roles", &d) else { m.missing("roles", &d); continue }
            out.append(SeparationSyntax(roles: roles, span: g.span.in(file), trace: trace(m)))
        }
        return out
    }

    mutating func parseFields(_ node: YAMLNode, context: String) -> [FieldSyntax] {
        guard let pairs = node.mapping else {
            d.append(Diagnostic(WrongType(what: context, expected: "a mapping of field names to types", found: node.kindDescription),
                                at: node.span.in(file), help: "e.g. `last_day: date`"))
            return []
        }
        var fields: [FieldSyntax] = []
        for p in pairs {
            guard let name = identifier(p.key, what: "field name") else { continue }
            if let f = parseField(name, p.value, span: NodeSpan(start: p.key.span.start, end: p.value.span.end).in(file)) {
                fields.append(f)
            }
        }
        return fields
    }

    mutating func parseField(_ name: Spanned<String>, _ v: YAMLNode, span: SourceSpan) -> FieldSyntax? {
        if let s = v.scalar {
            // Shorthand: `last_day: date`, `note: string?`.
            var t = s.text
            var optional = false
            if t.hasSuffix("?") { optional = true; t.removeLast() }
            guard !t.isEmpty else {
                d.append(Diagnostic(WrongType(what: "the type of field `\(name.value)`", expected: "a type name", found: "nothing"), at: v.span.in(file)))
                return nil
            }
            return FieldSyntax(name: name, type: .named(Spanned(t, v.span.in(file))), optional: optional, defaultValue: nil, title: nil, span: span)
        }
        if let list = v.sequence {
            // Shorthand: `reason: [resignation, transfer]` is an enum.
            let members = list.compactMap { MappingReader.string($0, what: "an enum member", file: file, &d) }
            return FieldSyntax(name: name, type: .enumeration(members, v.span.in(file)), optional: false, defaultValue: nil, title: nil, span: span)
        }
        guard let m = MappingReader(v, file: file, context: MappingContext("field", name.value), known: Self.fieldKeys, diagnostics: &d) else { return nil }
        let typeKeys = Self.typeKeys.filter { m.has($0) }
        if typeKeys.count > 1 { m.conflict(typeKeys[0], typeKeys[1], &d, reason: "a field has exactly one type") }
        var type: TypeSyntax?
        var memberTitles: [String: String] = [:]
        switch typeKeys.first?.text {
        case "type":
            type = m.string("type", &d).map { .named($0) }
        case "enum":
            if let e = m.value("enum") {
                var members: [Spanned<String>] = []
                if let pairs = e.mapping {
                    // `enum: {resignation: 辞职, transfer: 调动}`: members with their titles, in order.
                    for p in pairs {
                        guard let member = MappingReader.string(p.key, what: "an enum member", file: file, &d) else { continue }
                        members.append(member)
                        if let title = MappingReader.string(p.value, what: "the title of enum member `\(member.value)`", file: file, &d) {
                            if title.value.trimmingCharacters(in: .whitespaces).isEmpty {
                                d.append(Diagnostic(WrongType(what: "the title of enum member `\(member.value)`", expected: "non-empty text", found: "an empty string"),
                                                    at: p.value.span.in(file), help: "give the member a title, or list the members without titles: `enum: [\(member.value), …]`"))
                            } else {
                                memberTitles[member.value] = title.value
                            }
                        }
                    }
                } else {
                    members = MappingReader.stringList(e, what: "`enum`", file: file, &d)
                }
                if members.isEmpty { d.append(Diagnostic(EmptyList(what: "`enum` of field `\(name.value)`"), at: e.span.in(file))) }
                type = .enumeration(members, e.span.in(file))
            }
        case "record":
            if let r = m.value("record") { type = .record(parseFields(r, context: "record `\(name.value)`"), r.span.in(file)) }
        case "list":
            if let l = m.value("list") {
                if l.mapping != nil {
                    type = .list(.record(parseFields(l, context: "the items of list `\(name.value)`"), l.span.in(file)), l.span.in(file))
                } else if let s = MappingReader.string(l, what: "`list`", file: file, &d) {
                    type = .list(.named(s), l.span.in(file))
                }
            }
        case "checklist":
            if let c = m.value("checklist") {
                type = .checklist(parseFields(c, context: "the items of checklist `\(name.value)`"), c.span.in(file))
            }
        default:
            d.append(Diagnostic(MissingKey(key: "type", context: "field `\(name.value)`"), at: v.span.in(file),
                                help: "give the field a type: `type: string`, `enum: [...]`, `record: {...}`, `list: {...}` or `checklist: {...}`"))
        }
        guard let type else { return nil }
        return FieldSyntax(name: name, type: type, optional: m.bool("optional", &d) ?? false, defaultValue: m.value("default"),
                           title: m.string("title", &d), span: span, memberTitles: memberTitles)
    }

    mutating func parseGuarantees(_ node: YAMLNode) -> [GuaranteeSyntax] {
        guard let items = node.sequence else {
            d.append(Diagnostic(WrongType(what: "`guarantees`", expected: "a list", found: node.kindDescription), at: node.span.in(file)))
            return []
        }
        var out: [GuaranteeSyntax] = []
        for item in items {
            guard let m = MappingReader(item, file: file, context: "a guarantee", known: Self.guaranteeKeys, diagnostics: &d) else { continue }
            if m.has("checklist") && m.has("signoff") { m.conflict("checklist", "signoff", &d) }
            let trace = trace(m)
            if let c = m.string("checklist", &d) {
                out.append(.checklist(c, trace: trace))
            } else if let s = m.value("signoff") {
                out.append(.signoff(MappingReader.stringList(s, what: "`signoff`", file: file, &d), s.span.in(file), trace: trace))
            } else if !m.has("checklist") {
                d.append(Diagnostic(MissingKey(key: "checklist` or `signoff", context: "a guarantee"), at: item.span.in(file)))
            }
        }
        return out
    }

    mutating func parseOmits(_ node: YAMLNode) -> [(clause: Spanned<String>, reason: Spanned<String>)] {
        guard let items = node.sequence else {
            d.append(Diagnostic(WrongType(what: "`omits`", expected: "a list of `{clause, reason}`", found: node.kindDescription), at: node.span.in(file)))
            return []
        }
        var out: [(clause: Spanned<String>, reason: Spanned<String>)] = []
        for item in items {
            guard let m = MappingReader(item, file: file, context: "an omitted clause", known: Self.clauseReasonKeys, diagnostics: &d) else { continue }
            if let c = m.string("clause", required: true, &d), let r = m.string("reason", required: true, &d) { out.append((c, r)) }
        }
        return out
    }

    // MARK: states

    mutating func parseStates(_ node: YAMLNode, region: String) -> [StateSyntax] {
        guard let pairs = node.mapping else {
            d.append(Diagnostic(WrongType(what: "`states` of \(region)", expected: "a mapping of state ids to states", found: node.kindDescription),
                                at: node.span.in(file)))
            return []
        }
        var states: [StateSyntax] = []
        states.reserveCapacity(pairs.count)
        for p in pairs {
            guard let name = identifier(p.key, what: "state id") else { continue }
            if name.value == "join" {
                d.append(Diagnostic(ReservedName(name: "join"), at: name.span, label: "reserved"))
                continue
            }
            if let s = parseState(name, p.value) { states.append(s) }
        }
        return states
    }

    mutating func parseState(_ name: Spanned<String>, _ original: YAMLNode) -> StateSyntax? {
        guard let m = MappingReader(original, file: file, context: MappingContext("state", name.value), known: Self.stateKeys, diagnostics: &d) else { return nil }
        guard let use = m.value("use"), let useName = MappingReader.string(use, what: "`use`", file: file, &d) else {
            return parseOwnState(name, original, reader: m)
        }
        guard let fragment = fragments[useName.value] else {
            d.append(Diagnostic(UnknownFragment(name: useName.value), at: useName.span,
                                help: Suggestions.didYouMean(useName.value, fragments.keys) ?? "import the fragment's file with `import: [path/to/fragment.yaml]`"))
            return parseOwnState(name, original, reader: m)
        }
        // The fragment's keys are parsed in its own file (so spans point there); the using
        // state's own keys win.
        var sub = WorkflowParser(file: SourcePath(fragment.file), fragments: [:])
        let base = sub.parseOwnState(name, fragment.state)
        d += sub.d
        guard let own = parseOwnState(name, original, reader: m) else { return base }
        guard let base else { return own }
        let ownKeys = Set(original.mapping?.compactMap { $0.key.scalar?.text } ?? [])
        func pick<T>(_ key: String, _ mine: T, _ theirs: T) -> T { ownKeys.contains(key) ? mine : theirs }
        // The trace is one unit: a using state that cites a clause does not keep the
        // fragment's assumption (or the reverse).
        let ownTrace = ownKeys.contains("clause") || ownKeys.contains("assumption")
        return StateSyntax(
            name: own.name, title: pick("title", own.title, base.title), clause: ownTrace ? own.clause : base.clause,
            assumption: ownTrace ? own.assumption : base.assumption, span: own.span,
            kind: !Self.kindKeys.indices.contains { ownKeys.contains(Self.kindKeys[$0].text) } ? base.kind : own.kind, transitions: pick("on", own.transitions, base.transitions),
            requires: pick("requires", own.requires, base.requires), due: pick("due", own.due, base.due), then: pick("then", own.then, base.then),
            maxRounds: pick("max_rounds", own.maxRounds, base.maxRounds), fills: pick("fills", own.fills, base.fills), fragment: useName,
            remind: ownKeys.contains("remind") || ownKeys.contains("due") ? own.remind : base.remind, cc: pick("cc", own.cc, base.cc))
    }

    /// A state from its own keys (`use:` is handled by ``parseState``).
    /// `reader` is the state's mapping already read (its key problems already reported).
    mutating func parseOwnState(_ name: Spanned<String>, _ v: YAMLNode, reader: MappingReader? = nil) -> StateSyntax? {
        let original = v
        guard let m = reader ?? MappingReader(v, file: file, context: MappingContext("state", name.value), known: Self.stateKeys, diagnostics: &d) else { return nil }
        // The first two kind keys present (no array: this runs for every state).
        var kindKey: Key?
        for i in Self.kindKeys.indices where m.has(Self.kindKeys[i]) {
            let k = Self.kindKeys[i]
            guard let first = kindKey else { kindKey = k; continue }
            m.conflict(first, k, &d, reason: "a state has exactly one kind")
            break
        }
        var kind: StateKindSyntax = .task
        switch kindKey?.text {
        case "final":
            if let o = m.string("final", &d) {
                if !Self.outcomes.contains(o.value) {
                    d.append(Diagnostic(InvalidValue(what: "final outcome", value: o.value, allowed: Self.outcomes), at: o.span,
                                        help: Suggestions.didYouMean(o.value, Self.outcomes) ?? "use one of: \(Self.outcomes.joined(separator: ", "))"))
                }
                kind = .final(o)
            }
        case "choice":
            kind = parseChoice(m.value("choice")!, state: name.value)
        case "signoff":
            kind = .signoff(parseSignoff(m.value("signoff")!, state: name.value))
        case "parallel":
            kind = .parallel(parseBranches(m.value("parallel")!, state: name.value))
        case "foreach":
            if let list = expr(m.value("foreach")!, what: "`foreach`") {
                let alias = m.string("as", &d) ?? Spanned("item", list.span)
                if m.has("as"), !Identifier.isIdentifier(alias.value) {
                    d.append(Diagnostic(InvalidIdentifier(name: alias.value, what: "`as` name", rule: Identifier.rule), at: alias.span))
                } else if CaseEnvironment.builtinNames.contains(alias.value) {
                    // The item would hide `case`, `now` or `today` in the body's expressions.
                    d.append(Diagnostic(InvalidIdentifier(name: alias.value, what: "`as` name",
                                                          rule: "a name other than `case`, `now` and `today`, which every expression already has"),
                                        at: alias.span))
                }
                let body = RegionSyntax(
                    name: name, title: nil, start: m.string("start", required: true, &d),
                    states: m.value("states").map { parseStates($0, region: "foreach `\(name.value)`") } ?? [], span: v.span.in(file))
                if !m.has("states") { m.missing("states", &d) }
                kind = .foreach(ForeachSyntax(list: list, alias: alias, body: body))
            }
        case "wait":
            kind = .wait(parseWait(m.value("wait")!))
        default:
            break
        }
        if case .foreach = kind {} else {
            for i in Self.foreachKeys.indices where m.has(Self.foreachKeys[i]) {
                let k = Self.foreachKeys[i]
                m.conflict(kindKey ?? "on", k, &d, reason: "`\(k.text)` belongs to a `foreach` state")
            }
        }
        _ = m.value("use")
        // Read in this order, as messages are collected in it.
        let title = m.string("title", &d), trace = trace(m)
        let transitions = m.value("on").map { parseEvents($0, state: name.value) } ?? []
        let requires = m.value("requires").map { parseRequirements($0) } ?? []
        let due = m.value("due").map { parseDue($0, state: name.value) }
        let then = m.string("then", &d)
        let maxRounds = m.value("max_rounds").flatMap { parseRoundLimit($0, key: m.keySpan("max_rounds") ?? $0.span.in(file), state: name.value, m) }
        let fills = m.stringList("fills", &d) ?? []
        let (remind, cc) = parseNotices(m, due: m.value("due"), state: name.value)
        return StateSyntax(name: name, title: title, clause: trace.clause, assumption: trace.assumption, span: original.span.in(file), kind: kind,
                           transitions: transitions, requires: requires,
                           due: due, then: then, maxRounds: maxRounds, fills: fills, remind: remind, cc: cc)
    }

    mutating func parseEvents(_ node: YAMLNode, state: String) -> [TransitionSyntax] {
        guard let pairs = node.mapping else {
            d.append(Diagnostic(WrongType(what: "`on` of state `\(state)`", expected: "a mapping of event names to transitions", found: node.kindDescription),
                                at: node.span.in(file), help: "e.g. `on: {approve: {by: manager, to: execute}}`"))
            return []
        }
        var transitions: [TransitionSyntax] = []
        transitions.reserveCapacity(pairs.count)
        for p in pairs {
            guard let name = identifier(p.key, what: "event name") else { continue }
            if let list = p.value.sequence {
                // Guarded alternatives: one transition each.
                for alt in list { if let t = parseTransition(alt, event: name.value) { transitions.append(t) } }
            } else if let t = parseTransition(p.value, event: name.value) {
                transitions.append(t)
            }
        }
        return transitions
    }

    mutating func parseTransition(_ node: YAMLNode, event: String) -> TransitionSyntax? {
        if node.scalar != nil {
            // Shorthand: `submit: prepare` (anyone allowed is checked later: no `by`).
            return TransitionSyntax(event: event, by: [], bySpan: nil, to: MappingReader.string(node, what: "the target of `\(event)`", file: file, &d), span: node.span.in(file))
        }
        guard let m = MappingReader(node, file: file, context: MappingContext("event", event), known: Self.transitionKeys, diagnostics: &d) else { return nil }
        let by = m.stringList("by", &d) ?? [], bySpan = m.value("by")?.span.in(file)
        let backTo = parseBackTo(m)
        let to = m.string("to", required: !m.has("back_to"), &d)
        let when = m.value("when").flatMap { expr($0, what: "`when`") }
        var assignments: [(field: Spanned<String>, value: ExprSyntax)] = []
        if let set = m.value("set") {
            if let pairs = set.mapping {
                for p in pairs {
                    if let f = identifier(p.key, what: "field name"), let e = expr(p.value, what: "the value of `\(f.value)`", allowLiterals: true) {
                        assignments.append((f, e))
                    }
                }
            } else {
                d.append(Diagnostic(WrongType(what: "`set`", expected: "a mapping of fields to expressions", found: set.kindDescription), at: set.span.in(file)))
            }
        }
        let fills = m.stringList("fills", &d) ?? []
        let requires = m.value("requires").map { parseRequirements($0) } ?? []
        let violation = m.string("violation", &d), trace = trace(m), title = m.string("title", &d)
        let assign = m.stringList("assign", &d) ?? []
        return TransitionSyntax(event: event, by: by, bySpan: bySpan, to: to, when: when, set: assignments, fills: fills, requires: requires,
                                violation: violation, clause: trace.clause, assumption: trace.assumption, title: title, span: node.span.in(file),
                                assign: assign, backTo: backTo)
    }

    mutating func parseRequirements(_ node: YAMLNode) -> [RequirementSyntax] {
        let list = node.sequence
        var out: [RequirementSyntax] = []
        // One item (`requires: "…"`) or a list of them, read in place.
        for i in 0..<(list?.count ?? 1) {
            let item = list?[i] ?? node
            if item.scalar != nil {
                if let e = expr(item, what: "a requirement") { out.append(.expression(e, message: nil, trace: TraceSyntax())) }
                continue
            }
            guard let m = MappingReader(item, file: file, context: "a requirement", known: Self.requirementKeys, diagnostics: &d) else { continue }
            if m.has("all_done") && m.has("expr") { m.conflict("all_done", "expr", &d) }
            let message = m.string("message", &d), trace = trace(m)
            if let f = m.string("all_done", &d) {
                out.append(.allDone(f, message: message, trace: trace))
            } else if let e = m.value("expr"), let x = expr(e, what: "`expr`") {
                out.append(.expression(x, message: message, trace: trace))
            } else if !m.has("all_done") && !m.has("expr") {
                m.missing("expr", &d)
            }
        }
        return out
    }

    mutating func parseChoice(_ node: YAMLNode, state: String) -> StateKindSyntax {
        guard let arms = node.sequence else {
            d.append(Diagnostic(WrongType(what: "`choice` of state `\(state)`", expected: "a list of `{when, to}` arms", found: node.kindDescription),
                                at: node.span.in(file)))
            return .choice([], otherwise: nil)
        }
        var out: [ChoiceArmSyntax] = []
        var otherwise: Spanned<String>?
        for (i, arm) in arms.enumerated() {
            guard let m = MappingReader(arm, file: file, context: "a choice arm", known: Self.whenToOtherwiseKeys, diagnostics: &d) else { continue }
            if m.has("otherwise") {
                if m.has("when") { m.conflict("when", "otherwise", &d) }
                otherwise = m.string("otherwise", &d)
                if i != arms.count - 1 {
                    d.append(Diagnostic(OtherwiseNotLast(), at: m.keySpan("otherwise") ?? arm.span.in(file)))
                }
                continue
            }
            let to = m.string("to", required: true, &d)
            guard let w = m.value("when") else { m.missing("when", &d); continue }
            if let e = expr(w, what: "`when`"), let to { out.append(ChoiceArmSyntax(when: e, to: to, span: arm.span.in(file))) }
        }
        return .choice(out, otherwise: otherwise)
    }

    mutating func parseSignoff(_ node: YAMLNode, state: String) -> SignoffSyntax {
        var s = SignoffSyntax(span: node.span.in(file))
        if node.sequence != nil || node.scalar != nil {
            s.all = MappingReader.stringList(node, what: "`signoff`", file: file, &d)
            return s
        }
        guard let m = MappingReader(node, file: file, context: MappingContext("the sign-off of", state), known: Self.allNOfAlsoKeys, diagnostics: &d) else { return s }
        s.all = m.stringList("all", &d) ?? []
        s.quorum = m.int("n", &d)
        s.of = m.stringList("of", &d) ?? []
        parseSignoffModes(m, &s)
        if m.has("n") != m.has("of") {
            m.missing(m.has("n") ? "of" : "n", &d)
        }
        if let q = s.quorum, q.value < 1 || (!s.of.isEmpty && q.value > s.of.count) {
            d.append(Diagnostic(InvalidValue(what: "sign-off quorum", value: String(q.value), allowed: ["1…\(s.of.count)"]), at: q.span))
        }
        if let also = m.value("also") {
            if let pairs = also.mapping {
                for p in pairs {
                    if let role = identifier(p.key, what: "role id"), let e = expr(p.value, what: "the condition for `\(role.value)`") {
                        s.conditional.append((role, e))
                    }
                }
            } else {
                d.append(Diagnostic(WrongType(what: "`also`", expected: "a mapping of roles to conditions", found: also.kindDescription), at: also.span.in(file),
                                    help: "e.g. `also: {witness: \"case.key_post\"}`"))
            }
        }
        if s.all.isEmpty && s.of.isEmpty && s.conditional.isEmpty {
            d.append(Diagnostic(EmptyList(what: "the sign-off of `\(state)`"), at: node.span.in(file)))
        }
        return s
    }

    mutating func parseBranches(_ node: YAMLNode, state: String) -> [RegionSyntax] {
        guard let pairs = node.mapping else {
            d.append(Diagnostic(WrongType(what: "`parallel` of state `\(state)`", expected: "a mapping of branch names to branches", found: node.kindDescription),
                                at: node.span.in(file)))
            return []
        }
        var out: [RegionSyntax] = []
        for p in pairs {
            guard let name = identifier(p.key, what: "branch name") else { continue }
            guard let m = MappingReader(p.value, file: file, context: MappingContext("branch", name.value), known: Self.titleStartStatesKeys, diagnostics: &d) else { continue }
            let states = m.value("states").map { parseStates($0, region: "branch `\(name.value)`") } ?? []
            if !m.has("states") { m.missing("states", &d) }
            out.append(RegionSyntax(name: name, title: m.string("title", &d), start: m.string("start", required: true, &d), states: states,
                                    span: p.value.span.in(file)))
        }
        if out.count < 2 {
            d.append(Diagnostic(TooFewBranches(count: out.count), at: node.span.in(file)))
        }
        return out
    }

    mutating func parseWait(_ node: YAMLNode) -> WaitSyntax {
        var w = WaitSyntax(span: node.span.in(file))
        if node.scalar != nil {
            w.duration = duration(node)
            return w
        }
        guard let m = MappingReader(node, file: file, context: "`wait`", known: Self.untilForKeys, diagnostics: &d) else { return w }
        if m.has("until") && m.has("for") { m.conflict("until", "for", &d) }
        if let u = m.value("until") { w.until = expr(u, what: "`until`") }
        if let f = m.value("for") { w.duration = duration(f) }
        if !m.has("until") && !m.has("for") { m.missing("until", &d) }
        return w
    }

    static let redirectOnlyKeys: [Key] = ["escalate", "violation"]
    static let redirectKeys: [Key] = ["then", "escalate", "violation"]
    static let roundLimitKeys: KeySet = ["limit", "then", "escalate", "violation", "clause", "assumption"]

    /// Whether a node is the word `unbounded` (the round limit of a loop the source leaves open).
    static func isUnbounded(_ node: YAMLNode) -> Bool {
        guard let s = node.scalar, s.style == .plain || s.style == .singleQuoted || s.style == .doubleQuoted else { return false }
        return s.text == "unbounded"
    }

    /// `max_rounds: 3`, or the mapping form that says where the flow goes once the rounds are
    /// used up (the keys follow `due.overdue`: `escalate`, `violation`), or
    /// `{limit: unbounded, assumption: REASON}` for a loop the source leaves unbounded.
    mutating func parseRoundLimit(_ node: YAMLNode, key: SourceSpan, state: String, _ owner: MappingReader) -> RoundLimitSyntax? {
        let r: RoundLimitSyntax?
        if node.mapping != nil {
            guard let m = MappingReader(node, file: file, context: MappingContext("`max_rounds` of", state), known: Self.roundLimitKeys, diagnostics: &d) else { return nil }
            let trace = trace(m)
            if let l = m.value("limit"), Self.isUnbounded(l) {
                // Nothing is ever used up, so nothing can happen then.
                for k in Self.redirectKeys where m.has(k) {
                    m.conflict("limit", k, &d, reason: "an unbounded loop never uses up its rounds, so nothing happens `then`")
                }
                // A blank assumption is reported already; an empty clause is no reason.
                if trace.ir.isEmpty && !m.has("assumption") {
                    d.append(Diagnostic(UnboundedWithoutReason(state: state), at: l.span.in(file), label: "no reason given",
                                        help: "say why: `max_rounds: {limit: unbounded, assumption: 原文未规定退回次数上限}`, or cite the clause that leaves it open"))
                }
                return RoundLimitSyntax(limit: nil, keySpan: key, trace: trace)
            }
            guard let limit = m.int("limit", required: true, &d) else { return nil }
            let limited = RoundLimitSyntax(limit: limit, keySpan: key, then: m.string("then", &d), escalate: m.stringList("escalate", &d) ?? [],
                                           violation: m.string("violation", &d), trace: trace)
            // Without `then:` the step is refused, and a refusal records nothing.
            if limited.then == nil, let extra = Self.redirectOnlyKeys.first(where: { m.has($0) }) {
                d.append(Diagnostic(MissingKey(key: "then", context: "`max_rounds` of `\(state)`"), at: m.keySpan(extra) ?? node.span.in(file),
                                    label: "only recorded when the flow goes on through `then:`",
                                    help: "add `then: STATE`, the state the flow goes to once the rounds are used up"))
            }
            r = limited
        } else if Self.isUnbounded(node) {
            d.append(Diagnostic(UnboundedWithoutReason(state: state), at: node.span.in(file), label: "no reason given",
                                help: "write `max_rounds: {limit: unbounded, assumption: 原文未规定退回次数上限}`, or cite the clause that leaves it open with `clause:`"))
            return nil
        } else if node.scalar != nil {
            r = owner.int("max_rounds", &d).map { RoundLimitSyntax(limit: $0, keySpan: key) }
        } else {
            d.append(Diagnostic(WrongType(what: "`max_rounds` of `\(state)`", expected: "a whole number or a mapping `{limit, then, escalate, violation, clause, assumption}`", found: node.kindDescription),
                                at: node.span.in(file), help: "e.g. `max_rounds: 3` or `max_rounds: {limit: 3, then: hr_decide}`"))
            return nil
        }
        if let limit = r?.limit, limit.value < 1 {
            d.append(Diagnostic(InvalidValue(what: "round limit", value: String(limit.value), allowed: ["1 or more", "unbounded"]), at: limit.span,
                                label: "the state could never be entered"))
        }
        return r
    }

    mutating func parseDue(_ node: YAMLNode, state: String) -> DueSyntax {
        var due = DueSyntax(span: node.span.in(file))
        if node.scalar != nil {
            due.within = duration(node)
            return due
        }
        guard let m = MappingReader(node, file: file, context: MappingContext("the deadline of", state), known: Self.dueKeys, diagnostics: &d) else { return due }
        due.trace = trace(m)
        if m.has("within") && m.has("by") { m.conflict("within", "by", &d, reason: "a deadline is either relative to entering the state or a date") }
        if let w = m.value("within") { due.within = duration(w) }
        if let b = m.value("by") { due.by = expr(b, what: "`by`") }
        if !m.has("within") && !m.has("by") { m.missing("within", &d) }
        if let o = m.value("overdue") {
            due.overdueSpan = o.span.in(file)
            if let om = MappingReader(o, file: file, context: "`overdue`", known: Self.overdueKeys, diagnostics: &d) {
                due.overdueTrace = trace(om)
                due.escalate = om.stringList("escalate", &d) ?? []
                due.to = om.string("to", &d)
                due.violation = om.string("violation", &d)
                if due.escalate.isEmpty && due.to == nil && due.violation == nil {
                    d.append(Diagnostic(EmptyList(what: "`overdue` (give `escalate`, `to` and/or `violation`)"), at: o.span.in(file)))
                }
            }
        }
        return due
    }

    // MARK: leaves

    /// A mapping's `clause` or `assumption`: one of the two, and an assumption gives its reason.
    mutating func trace(_ m: MappingReader) -> TraceSyntax {
        let clause = m.string("clause", &d), assumption = m.string("assumption", &d)
        if clause != nil && assumption != nil {
            m.conflict("clause", "assumption", &d, reason: "a rule either implements a clause of the source or is an assumption the source does not state")
        }
        if let a = assumption, a.value.allSatisfy(\.isWhitespace) {
            d.append(Diagnostic(EmptyAssumption(), at: a.span, label: "no reason",
                                help: "say why the rule is there although the source does not state it, e.g. `assumption: 原文未规定期限，按公司惯例`"))
            return TraceSyntax(clause: clause)
        }
        return TraceSyntax(clause: clause, assumption: assumption)
    }

    mutating func duration(_ node: YAMLNode) -> Spanned<DurationSyntax>? {
        guard let s = MappingReader.string(node, what: "a duration", file: file, &d) else { return nil }
        guard let parsed = DurationParser.parse(s.value) else {
            d.append(Diagnostic(InvalidDuration(text: s.value), at: s.span, label: "not a duration"))
            return nil
        }
        return Spanned(parsed, s.span)
    }

    mutating func expr(_ node: YAMLNode, what: String, allowLiterals: Bool = false) -> ExprSyntax? {
        guard let s = node.scalar else {
            d.append(Diagnostic(WrongType(what: what, expected: "an expression (a string)", found: node.kindDescription), at: node.span.in(file)))
            return nil
        }
        if case .null = s.value {
            d.append(Diagnostic(WrongType(what: what, expected: "an expression", found: "nothing"), at: node.span.in(file)))
            return nil
        }
        // `key_post: true` or `days: 3` in `set:` are literals; a plain scalar's text is CEL.
        var text = s.text
        var verbatim = true
        if allowLiterals, s.style != .plain, case .string(let str) = s.value, !looksLikeExpression(str) {
            text = "'" + str.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
            verbatim = false
        }
        return ExprSyntax(source: text, span: node.span.in(file), style: s.style, verbatim: verbatim)
    }

    private func looksLikeExpression(_ s: String) -> Bool {
        s.contains("case.") || s.contains("(") || s.contains("'") || s.contains("\"")
    }

    mutating func identifier(_ node: YAMLNode, what: String) -> Spanned<String>? {
        guard let s = MappingReader.string(node, what: "a \(what)", file: file, &d) else { return nil }
        // Only field names appear in expressions, so only they must avoid CEL's reserved words.
        let usedInExpressions = what == "field name"
        if usedInExpressions && Identifier.reserved.contains(s.value) {
            d.append(Diagnostic(InvalidIdentifier(name: s.value, what: what, rule: "a name that is not a reserved word of expressions (\(Identifier.reserved.sorted().joined(separator: ", ")))"),
                                at: s.span, label: "reserved word"))
            return nil
        }
        if !Identifier.isIdentifier(s.value, allowReserved: true) {
            d.append(Diagnostic(InvalidIdentifier(name: s.value, what: what, rule: Identifier.rule), at: s.span, label: "not a valid \(what)"))
            return nil
        }
        return s
    }
}

extension String {
    /// Whether the UTF-8 bytes of `needle` occur in the string. A cheap filter before
    /// Foundation's `contains`, which compares characters and is slow in hot paths. Reads
    /// the string in place: no copy, so no reference counting.
    func utf8Contains(_ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { n in
            let found = utf8.withContiguousStorageIfAvailable { h -> Bool in
                guard let first = n.first, n.count <= h.count else { return n.isEmpty }
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count, h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
            // Bridged or lazily decoded strings have no contiguous UTF-8: say maybe.
            return found ?? true
        }
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// Naming rules for ids.
public enum Identifier {
    /// The rule for state, role and field names, for messages.
    public static let rule = "letters a–z, digits and `_`, starting with a letter (write Chinese names in `title:`)"
    static let workflowRule = "lower-case letters, digits, `-` and `_`, starting with a letter"
    static let reserved: Set<String> = ["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for",
                                        "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]

    /// True when `s` may name a state, role or field.
    public static func isIdentifier(_ s: String, allowReserved: Bool = false) -> Bool {
        // ASCII only, so bytes will do (no scalar decoding); read in place when contiguous.
        func valid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let f = b.first, isLetter(f) || f == UInt8(ascii: "_") else { return false }
            for c in b where !(isLetter(c) || isDigit(c) || c == UInt8(ascii: "_")) { return false }
            return true
        }
        let ok = s.utf8.withContiguousStorageIfAvailable(valid) ?? Array(s.utf8).withUnsafeBufferPointer(valid)
        return ok && (allowReserved || !reserved.contains(s))
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func isWorkflowID(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f.isASCIILetter else { return false }
        return s.unicodeScalars.allSatisfy { ($0.isASCIILetter && $0.value >= 0x61) || $0.isASCIIDigit || $0 == "_" || $0 == "-" }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) }
    var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
}
