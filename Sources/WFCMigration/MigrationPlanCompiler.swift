import CEL
import WFCCompiler
import WFCDiagnostics
import WFCDiff
import WFCExpressions
import WFCIR
import WFCYAML

/// The `from:` and `to:` of a plan file: the policy files it migrates between, relative to it.
public struct MigrationPlanHeader: Sendable {
    public var from: String?
    public var to: String?
    public var fromSpan: SourceSpan
    public var toSpan: SourceSpan
    /// YAML errors and a malformed top level.
    public var diagnostics: [Diagnostic]
}

/// What ``MigrationPlanCompiler/compile(_:old:new:)`` gives: the plan, when it has no errors.
public struct MigrationPlanResult: Sendable {
    public var plan: MigrationPlanIR?
    public var diagnostics: [Diagnostic]
}

/// Reads a migration plan (`NAME.migrate.yaml`) and proves it against the two compiled
/// versions statically (docs/versions.md): every old state a case can rest in maps to a state
/// of the new version it can continue in (same place, compatible kind, also inside branches and
/// foreach bodies); every change `wfc diff` rates "needs a mapping" is answered; the values
/// type-check over the old schema and fit the new fields; new roles get people; no mapped case
/// can skip a guarantee the new version adds; separations that people already bound may break
/// are flagged (and checked per case at run time).
public struct MigrationPlanCompiler: Sendable {
    public var loader: YAMLLoader

    public init(loader: YAMLLoader = YAMLLoader()) { self.loader = loader }

    static let keys = ["from", "to", "states", "values", "people", "deadlines", "signatures"]

    /// True for a file name a plan is recognised by.
    public static func isPlan(_ path: String) -> Bool { path.hasSuffix(".migrate.yaml") || path.hasSuffix(".migrate.yml") }

    /// The plan's `from` and `to`, for the caller to read and compile those files.
    public func header(_ file: SourceFile) -> MigrationPlanHeader {
        let (root, diagnostics) = load(file)
        var h = MigrationPlanHeader(from: nil, to: nil, fromSpan: .point(file.path, 0), toSpan: .point(file.path, 0), diagnostics: diagnostics)
        guard let m = root?.mapping else { return h }
        for pair in m {
            switch pair.key.textValue {
            case "from": h.from = pair.value.textValue; h.fromSpan = pair.value.span.in(file.path)
            case "to": h.to = pair.value.textValue; h.toSpan = pair.value.span.in(file.path)
            default: break
            }
        }
        if h.from == nil { h.diagnostics.append(malformed(file, root, "the plan has no `from:` (the old version's policy file)")) }
        if h.to == nil { h.diagnostics.append(malformed(file, root, "the plan has no `to:` (the new version's policy file)")) }
        return h
    }

    func load(_ file: SourceFile) -> (YAMLNode?, [Diagnostic]) {
        let loaded = loader.load(file)
        var d = loaded.diagnostics
        guard let root = loaded.root, !loaded.hasErrors else { return (nil, d) }
        guard root.mapping != nil else {
            d.append(PlanMessage(descriptor: MigrationDiagnostics.malformed, message: "a migration plan is a mapping, not \(root.kindDescription)")
                .diagnostic(at: root.span.in(file.path), help: "start with `from: OLD.yaml` and `to: NEW.yaml`"))
            return (nil, d)
        }
        return (root, d)
    }

    func malformed(_ file: SourceFile, _ root: YAMLNode?, _ message: String) -> Diagnostic {
        PlanMessage(descriptor: MigrationDiagnostics.malformed, message: message)
            .diagnostic(at: root.map { .point(file.path, $0.span.start.offset) } ?? .point(file.path, 0), help: "write `from: OLD.yaml` and `to: NEW.yaml`, paths relative to the plan")
    }

    /// Proves the plan in `file` against the old and new versions (compiled, sealed IR).
    public func compile(_ file: SourceFile, old: WorkflowIR, new: WorkflowIR) -> MigrationPlanResult {
        var d: [Diagnostic] = []
        let (rootNode, loadDiagnostics) = load(file)
        d += loadDiagnostics
        guard let root = rootNode, let top = root.mapping else {
            if d.isEmpty { d.append(malformed(file, nil, "the migration plan is empty")) }
            return MigrationPlanResult(plan: nil, diagnostics: d)
        }
        func at(_ n: YAMLNode) -> SourceSpan { n.span.in(file.path) }
        func report(_ desc: DiagnosticDescriptor, _ message: String, _ span: SourceSpan, label: String = "", notes: [String] = [], help: String? = nil, severity: Severity? = nil) {
            var x = PlanMessage(descriptor: desc, message: message).diagnostic(at: span, label: label, notes: notes, help: help)
            if let severity { x.severity = severity }
            d.append(x)
        }
        var nodes: [String: YAMLPair] = [:]
        for pair in top {
            guard let k = pair.key.textValue, Self.keys.contains(k) else {
                let k = pair.key.textValue ?? pair.key.kindDescription
                let near = Suggestions.closest(to: k, among: Self.keys)
                report(MigrationDiagnostics.malformed, "`\(k)` is not a key of a migration plan", at(pair.key), label: "unknown key",
                       help: near.map { "did you mean `\($0)`?" } ?? "the keys are \(Self.keys.map { "`\($0)`" }.joined(separator: ", "))")
                continue
            }
            nodes[k] = pair
        }
        // Where a problem with no key of its own is reported: the `to:` line.
        let anchor = nodes["to"].map { at($0.key) } ?? .point(file.path, root.span.start.offset)

        // Plain string maps.
        func stringMap(_ key: String) -> [(key: YAMLNode, value: YAMLNode, k: String, v: String)] {
            guard let pair = nodes[key] else { return [] }
            if pair.value.scalar?.value == .null { return [] }
            guard let m = pair.value.mapping else {
                report(MigrationDiagnostics.malformed, "`\(key):` must be a mapping, not \(pair.value.kindDescription)", at(pair.value))
                return []
            }
            var out: [(key: YAMLNode, value: YAMLNode, k: String, v: String)] = []
            for e in m {
                guard let k = e.key.textValue, e.value.isScalar, let v = e.value.textValue, !v.isEmpty else {
                    report(MigrationDiagnostics.malformed, "each entry of `\(key):` is `name: text`", at(e.value))
                    continue
                }
                out.append((e.key, e.value, k, v))
            }
            return out
        }
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
            guard let pair = nodes[key] else { return nil }
            guard let text = pair.value.textValue, let v = T(rawValue: text) else {
                report(MigrationDiagnostics.malformed, "`\(key):` is one of \(T.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", "))", at(pair.value))
                return nil
            }
            return v
        }
        let deadlines = choice("deadlines", MigrationPlanIR.Deadlines.self)
        let signatures = choice("signatures", MigrationPlanIR.Signatures.self)

        // 1. States.
        var stateMap: [String: String] = [:]
        var mapSpan: [String: SourceSpan] = [:]
        for e in stringMap("states") {
            guard old.state(named: e.k) != nil else {
                report(MigrationDiagnostics.unknownState, "the old version has no state `\(e.k)`", at(e.key), label: "not a state of \(old.file)",
                       help: Suggestions.closest(to: e.k, among: old.states.map(\.name)).map { "did you mean `\($0)`?" })
                continue
            }
            guard new.state(named: e.v) != nil else {
                report(MigrationDiagnostics.unknownState, "the new version has no state `\(e.v)`", at(e.value), label: "not a state of \(new.file)",
                       help: Suggestions.closest(to: e.v, among: new.states.map(\.name)).map { "did you mean `\($0)`?" })
                continue
            }
            stateMap[e.k] = e.v
            mapSpan[e.k] = at(e.value)
        }
        var fullMap: [String: String] = [:]
        var targets: [(old: StateIR, new: StateIR)] = []
        for s in old.states where s.kind != .choice && !s.isFinal {
            let target = stateMap[s.name] ?? s.name
            guard let t = new.state(named: target) else {
                report(MigrationDiagnostics.unmappedState, "state `\(s.name)` is not in the new version and the plan does not map it", nodes["states"].map { at($0.key) } ?? anchor,
                       label: "cases in `\(s.name)` have nowhere to go",
                       help: "add `\(s.name): NEW_STATE` under `states:`" + (Suggestions.closest(to: s.name, among: new.states.map(\.name)).map { " (perhaps `\($0)`)" } ?? ""))
                continue
            }
            fullMap[s.name] = t.name
            if let why = Self.incompatibility(s, t, old: old, new: new, map: { stateMap[$0] ?? $0 }) {
                report(MigrationDiagnostics.incompatibleTarget, "cases in `\(s.name)` cannot continue in `\(t.name)`: \(why)",
                       mapSpan[s.name] ?? nodes["states"].map { at($0.key) } ?? anchor, label: stateMap[s.name] == nil ? "" : "mapped here",
                       help: stateMap[s.name] == nil ? "map `\(s.name)` under `states:` to a state of the new version in the same place" : "map `\(s.name)` to a state of the same kind in the same place")
                continue
            }
            targets.append((s, t))
        }

        // 2. Values.
        let oldEnv = CaseEnvironment(ir: old)
        var values: [MigrationPlanIR.Value] = []
        var valued = Set<String>()
        for e in stringMap("values") {
            guard let field = new.fields.first(where: { $0.name == e.k }) else {
                report(MigrationDiagnostics.unknownField, "the new version has no field `\(e.k)`", at(e.key),
                       help: Suggestions.closest(to: e.k, among: new.fields.map(\.name)).map { "did you mean `\($0)`?" })
                continue
            }
            // Given, even if wrong: reported once, as a wrong value, not also as a missing one.
            valued.insert(field.name)
            let program: CELProgram
            do {
                program = try oldEnv.env.compile(e.v)
            } catch {
                report(MigrationDiagnostics.valueType, "`\(e.v)` does not type-check over the old version's data", at(e.value),
                       notes: error.errors.map(\.message), help: "a value is CEL over the old data: `case.<old field>`, `now`, `today`")
                continue
            }
            if let why = Self.misfit(program.type, field.type) {
                report(MigrationDiagnostics.valueType, "`\(e.v)` is \(Self.show(program.type)), which does not fit field `\(field.name)` (\(field.type.description))", at(e.value),
                       label: why)
                continue
            }
            let v = at(e.value)
            let line = file.lineColumn(of: v.start)
            values.append(.init(field: field.name, expr: ExprIR(source: e.v, span: SpanIR(file: file.path, start: v.start, end: v.end, line: line.line, column: line.column),
                                                                type: program.type.description)))
        }
        var fillable = Set<Int>()
        for s in new.states {
            fillable.formUnion(s.fills)
            for t in s.transitions { fillable.formUnion(t.fills) }
        }
        for f in new.fields where !f.optional && f.defaultValue == nil && !valued.contains(f.name) && !fillable.contains(f.id) {
            let before = old.fields.first { $0.name == f.name }
            let why: String
            if let before {
                if before.optional { why = "it was optional and is now required" }
                else if !Self.widens(before.type, f.type) { why = "its type changed from \(before.type.description) to \(f.type.description)" }
                else { continue }
            } else {
                why = "it is new and required without a default"
            }
            report(MigrationDiagnostics.missingValue, "field `\(f.name)` needs a value in running cases: \(why)", nodes["values"].map { at($0.key) } ?? anchor,
                   help: "add `\(f.name): \"CEL over the old data\"` under `values:`")
        }

        // 3. People and separations.
        var people: [String: String] = [:]
        for e in stringMap("people") {
            guard new.role(named: e.k) != nil else {
                report(MigrationDiagnostics.unboundRole, "the new version has no role `\(e.k)`", at(e.key),
                       help: Suggestions.closest(to: e.k, among: new.roles.map(\.name)).map { "did you mean `\($0)`?" })
                continue
            }
            people[e.k] = e.v
        }
        for r in new.roles where old.role(named: r.name) == nil && people[r.name] == nil {
            report(MigrationDiagnostics.unboundRole, "role `\(r.name)` is new and running cases have nobody in it", nodes["people"].map { at($0.key) } ?? anchor,
                   help: "add `\(r.name): PERSON_ID` under `people:`")
        }
        // A role the old version assigned during the case and the new one binds at start: cases
        // that have not reached the assignment have nobody in it. Checked per case at migration.
        for r in new.roles where r.assigned != true && old.role(named: r.name)?.assigned == true && people[r.name] == nil {
            report(MigrationDiagnostics.unboundRole, "role `\(r.name)` is now bound at start, but running cases that have not reached the event that assigned it have nobody in it",
                   nodes["people"].map { at($0.key) } ?? anchor,
                   notes: ["each case is checked when it is migrated; a case with nobody in `\(r.name)` is refused and stays on its version"],
                   help: "add `\(r.name): PERSON_ID` under `people:` to bind that person in every migrated case", severity: .warning)
        }
        // A role both versions assign, by events of which the new version dropped one: a case
        // not yet given it may be past every event that still assigns it. The migration cannot
        // tell per case, so the plan is warned.
        func sites(_ ir: WorkflowIR, _ role: Int) -> Set<String> {
            Set(ir.states.flatMap { s in s.transitions.filter { ($0.assign ?? []).contains(role) }.map { "\(s.name).\($0.event)" } })
        }
        for r in new.roles where r.assigned == true && people[r.name] == nil {
            guard let before = old.role(named: r.name), before.assigned == true else { continue }
            let gone = sites(old, before.id).subtracting(sites(new, r.id)).sorted()
            guard !gone.isEmpty else { continue }
            report(MigrationDiagnostics.unboundRole, "role `\(r.name)` is no longer assigned by \(gone.joined(separator: ", ")): a running case not yet given it may be past every event that still assigns it",
                   nodes["people"].map { at($0.key) } ?? anchor,
                   notes: ["the migration does not check this per case: such a case would reach a step that needs `\(r.name)` with nobody in it"],
                   help: "add `\(r.name): PERSON_ID` under `people:` to bind that person in every migrated case, or keep such cases on the old version", severity: .warning)
        }
        let oldGroups = Set(old.separations.map { Set($0.compactMap { old.roles.indices.contains($0) ? old.roles[$0].name : nil }) })
        for group in new.separations {
            let names = group.compactMap { new.roles.indices.contains($0) ? new.roles[$0].name : nil }
            let named = names.compactMap { n in people[n].map { (n, $0) } }
            if let clash = named.first(where: { a in named.contains { $0.0 != a.0 && $0.1 == a.1 } }) {
                report(MigrationDiagnostics.separationAtRisk, "the plan names \(clash.1) for two roles the new version separates (\(names.joined(separator: ", ")))",
                       nodes["people"].map { at($0.key) } ?? anchor, help: "name different people", severity: .error)
                continue
            }
            // Roles already kept apart in the old version cannot clash in any case.
            let fresh = Set(names)
            let coveredBefore = oldGroups.contains { fresh.isSubset(of: $0) }
            if !coveredBefore {
                report(MigrationDiagnostics.separationAtRisk, "the new version separates \(names.map { "`\($0)`" }.joined(separator: ", ")), which running cases may have given to one person",
                       nodes["people"].map { at($0.key) } ?? anchor, notes: ["each case is checked when it is migrated; a case that breaks it is refused and stays on its version"])
            }
        }

        // 4. Changes `wfc diff` says need an answer.
        let changes = PolicyDiff(old: old, new: new).changes()
        // Deadlines, waits, the calendar and reminders (催办): timers computed at entry.
        let timing: Set<DiagnosticCode> = ["WFC8114", "WFC8118", "WFC8121", DiffDiagnostics.noticeChanged.code]
        if deadlines == nil, nodes["deadlines"] == nil, let c = changes.first(where: { timing.contains($0.code) && $0.impact != .none }) {
            report(MigrationDiagnostics.deadlinesUnstated, "the plan does not say what happens to open deadlines and waits (\(c.message))", anchor,
                   help: "add `deadlines: keep` or `deadlines: recompute`")
        }
        if signatures == nil, nodes["signatures"] == nil, let c = changes.first(where: { $0.code == "WFC8115" && $0.impact != .none }) {
            report(MigrationDiagnostics.signaturesUnstated, "the plan does not say whether collected signatures still count (\(c.message))", anchor,
                   help: "add `signatures: keep` or `signatures: reset`")
        }

        // 5. Guarantees the new version adds: no mapped case may skip them.
        let oldGuarantees = Set(old.guarantees.map { Self.guaranteeKey($0, old) })
        let added = new.guarantees.indices.filter { !oldGuarantees.contains(Self.guaranteeKey(new.guarantees[$0], new)) }
        if !added.isEmpty {
            var reported = Set<String>()
            for (s, t) in targets {
                for skip in GuaranteePaths.skipped(new, from: t.id, guarantees: added) where reported.insert("\(t.name)#\(skip.guarantee)").inserted {
                    report(MigrationDiagnostics.guaranteeSkipped, "cases in `\(s.name)` continue in `\(t.name)` and could reach `\(skip.final)` without \(Self.describe(new.guarantees[skip.guarantee], new))",
                           mapSpan[s.name] ?? nodes["states"].map { at($0.key) } ?? anchor, notes: ["path without it: \(skip.path)"],
                           help: "map `\(s.name)` to a state before the step that enforces it, or keep such cases on the old version")
                }
            }
        }

        guard !d.contains(where: { $0.severity == .error }), let from = old.contentHash, let to = new.contentHash else {
            return MigrationPlanResult(plan: nil, diagnostics: d)
        }
        let plan = MigrationPlanIR(from: from, to: to, states: fullMap, values: values, people: people,
                                   deadlines: deadlines ?? .keep, signatures: signatures ?? .keep, file: file.path)
        return MigrationPlanResult(plan: plan, diagnostics: d)
    }

    /// Why a case in old state `s` cannot continue in new state `t`, or nil when it can.
    static func incompatibility(_ s: StateIR, _ t: StateIR, old: WorkflowIR, new: WorkflowIR, map: (String) -> String) -> String? {
        if t.isFinal { return "it is a final state, and a migration does not finish cases" }
        if t.kind == .choice { return "it is a choice, where no case rests" }
        let composite: Set<StateKindIR> = [.parallel, .foreach]
        if composite.contains(s.kind) || composite.contains(t.kind), s.kind != t.kind {
            return "a \(s.kind.rawValue) state and a \(t.kind.rawValue) state keep different branches or items"
        }
        if s.kind == .parallel {
            let branches = Set(t.regions.compactMap { new.regions.indices.contains($0) ? new.regions[$0].name : nil })
            let had = s.regions.compactMap { old.regions.indices.contains($0) ? old.regions[$0].name : nil }
            if !(Set(had) == branches || had.count == branches.count) {
                return "its branches (\(had.joined(separator: ", "))) do not match (\(branches.sorted().joined(separator: ", ")))"
            }
        }
        // The same place: both top level, or in the bodies of states that map to each other.
        func owner(_ st: StateIR, _ ir: WorkflowIR) -> StateIR? {
            guard ir.regions.indices.contains(st.region), let o = ir.regions[st.region].owner, ir.states.indices.contains(o) else { return nil }
            return ir.states[o]
        }
        switch (owner(s, old), owner(t, new)) {
        case (nil, nil): return nil
        case (let a?, let b?):
            if map(a.name) != b.name { return "it is inside `\(b.name)`, the case's state is inside `\(a.name)`" }
            if a.kind == .parallel, old.regions[s.region].name != new.regions[t.region].name, a.regions.count != b.regions.count {
                return "it is in branch `\(new.regions[t.region].name)`, not `\(old.regions[s.region].name)`"
            }
            return nil
        case (nil, let b?): return "it is inside `\(b.name)`; the case's state is at the top level"
        case (let a?, nil): return "it is at the top level; the case's state is inside `\(a.name)`"
        }
    }

    /// Why a CEL result type does not fit a field type (nil when it fits; `dyn` is checked per case).
    static func misfit(_ c: CELType, _ t: TypeIR) -> String? {
        switch (c, t) {
        case (.dyn, _), (.null, _): return nil
        case (.string, .string), (.string, .enumeration): return nil
        case (.enumType(let e), .enumeration(let members)):
            let extra = e.members.filter { !members.contains($0) }
            return extra.isEmpty ? nil : "members \(extra.joined(separator: ", ")) are not in the new enum"
        case (.enumType, .string): return nil
        case (.int, .int), (.int, .decimal), (.double, .decimal), (.bool, .bool), (.date, .date), (.timestamp, .datetime), (.duration, .duration): return nil
        case (.list(let e), .list(let f)): return misfit(e, f)
        case (.list, .checklist), (.record, .record), (.map, .record): return nil
        default: return "not a \(t.description)"
        }
    }

    /// A CEL type as messages show it: an enum with its members, as the schema writes it.
    static func show(_ t: CELType) -> String {
        if case .enumType(let e) = t { return "enum(\(e.members.joined(separator: ", ")))" }
        return t.description
    }

    /// Whether every value of `a` is a value of `b` (no migration value needed).
    static func widens(_ a: TypeIR, _ b: TypeIR) -> Bool {
        if a == b { return true }
        switch (a, b) {
        case (.int, .decimal): return true
        case (.enumeration(let x), .enumeration(let y)): return Set(x).isSubset(of: Set(y))
        case (.enumeration, .string): return true
        case (.list(let x), .list(let y)): return widens(x, y)
        default: return false
        }
    }

    static func guaranteeKey(_ g: GuaranteeIR, _ ir: WorkflowIR) -> String {
        switch g {
        case .checklist(let f, _, _): return "checklist:" + (ir.fields.first { $0.id == f }?.name ?? "#\(f)")
        case .signoff(let roles, _, _): return "signoff:" + roles.map { ir.roles.indices.contains($0) ? ir.roles[$0].name : "#\($0)" }.sorted().joined(separator: ",")
        }
    }

    static func describe(_ g: GuaranteeIR, _ ir: WorkflowIR) -> String {
        switch g {
        case .checklist(let f, _, _): return "checklist `\(ir.fields.first { $0.id == f }?.name ?? "#\(f)")` done"
        case .signoff(let roles, _, _): return "the sign-off of " + roles.map { "`\(ir.roles.indices.contains($0) ? ir.roles[$0].name : "#\($0)")`" }.joined(separator: ", ")
        }
    }
}
