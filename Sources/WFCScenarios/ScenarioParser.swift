import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCYAML

/// Reads scenario files into ``ScenarioFile``s, collecting every problem as a diagnostic.
public struct ScenarioParser {
    public var loader: YAMLLoader
    private var diagnostics: [Diagnostic] = []
    private var file = ""

    /// The keys of each part of a scenario file (schema/wfc-scenario.schema.json must agree).
    public static let fileKeys = ["workflow", "defaults", "scenarios"]
    public static let defaultsKeys = ["start", "people", "data"]
    public static let scenarioKeys = ["name", "start", "people", "data", "refused", "steps"]
    public static let stepKeys = ["fire", "as", "role", "item", "data", "key", "tick", "at", "after", "refused", "expect", "assign", "reassign", "to", "task", "reason",
                                  "add_signer", "for", "substitute", "from", "until"]

    public init(loader: YAMLLoader = YAMLLoader()) {
        self.loader = loader
    }

    /// Parses `source`; the file is nil when it cannot be used at all.
    public mutating func parse(_ source: SourceFile) -> (file: ScenarioFile?, diagnostics: [Diagnostic]) {
        diagnostics = []
        file = source.path
        let loaded = loader.load(source)
        diagnostics += loaded.diagnostics
        guard loaded.diagnostics.allSatisfy({ $0.severity != .error }), let root = loaded.root else {
            return (nil, diagnostics)
        }
        guard let top = mapping(root, "the scenario file", known: Self.fileKeys) else { return (nil, diagnostics) }
        let dir = (source.path as NSString).deletingLastPathComponent
        var workflowPath = ScenarioFiles.defaultWorkflow(for: source.path)
        var workflowSpan = SourceSpan.point(source.path, 0)
        if let w = top["workflow"], let text = string(w, "`workflow`") {
            workflowPath = text.hasPrefix("/") || dir.isEmpty ? text : ((dir + "/" + text) as NSString).standardizingPath
            workflowSpan = w.span.in(file)
        }
        var defaults = Scenario(name: "", span: workflowSpan, start: nil, people: [:], data: [:], refused: nil, steps: [])
        if let d = top["defaults"], let m = mapping(d, "`defaults`", known: Self.defaultsKeys) {
            readCommon(m, into: &defaults)
        }
        var scenarios: [Scenario] = []
        if let list = top["scenarios"] {
            if let items = list.sequence {
                for item in items {
                    if let s = scenario(item, defaults: defaults) { scenarios.append(s) }
                }
                if items.isEmpty { problem("`scenarios` is empty; add at least one scenario", list.span.in(file)) }
            } else {
                problem("`scenarios` must be a list of scenarios, not \(list.kindDescription)", list.span.in(file))
            }
        } else {
            problem("a scenario file needs `scenarios:`, a list of scenarios", root.span.in(file))
        }
        let names = scenarios.map(\.name)
        for (i, s) in scenarios.enumerated() where names[..<i].contains(s.name) {
            problem("two scenarios are named `\(s.name)`; names identify scenarios in the output", s.span)
        }
        return (ScenarioFile(path: source.path, workflowPath: workflowPath, workflowSpan: workflowSpan, scenarios: scenarios), diagnostics)
    }

    /// A `wfc run` script: a case (`people`, `data`, optional `start`, read by the caller from
    /// its case file) and an events file (a list of steps, as in scenarios) as one scenario.
    public mutating func script(people: [String: String], data: [String: ValueIR], start: Timed?, eventsFile: SourceFile) -> (scenario: Scenario?, diagnostics: [Diagnostic]) {
        diagnostics = []
        var s = Scenario(name: "run", span: .point(eventsFile.path, 0), start: start, people: people, data: data, refused: nil, steps: [])
        file = eventsFile.path
        let e = loader.load(eventsFile)
        diagnostics += e.diagnostics
        if let root = e.root {
            if let items = root.sequence {
                s.steps = items.compactMap { step($0) }
            } else if let m = mapping(root, "the events file", known: ["steps"]), let steps = m["steps"]?.sequence {
                s.steps = steps.compactMap { step($0) }
            } else {
                problem("the events file must be a list of steps such as `- fire: submit` with `as: PERSON`", root.span.in(file))
            }
        }
        let ok = diagnostics.allSatisfy { $0.severity != .error }
        return (ok ? s : nil, diagnostics)
    }

    // MARK: scenario and steps

    private mutating func scenario(_ node: YAMLNode, defaults: Scenario) -> Scenario? {
        guard let m = mapping(node, "a scenario", known: Self.scenarioKeys) else { return nil }
        var s = defaults
        s.span = node.span.in(file)
        guard let nameNode = m["name"], let name = string(nameNode, "`name`") else {
            if m["name"] == nil { problem("a scenario needs a `name`", node.span.in(file)) }
            return nil
        }
        s.name = name
        s.span = nameNode.span.in(file)
        readCommon(m, into: &s)
        if let r = m["refused"] { s.refused = refusal(r) }
        if let steps = m["steps"] {
            if let items = steps.sequence {
                s.steps = items.compactMap { step($0) }
            } else {
                problem("`steps` must be a list of steps, not \(steps.kindDescription)", steps.span.in(file))
            }
        } else if s.refused == nil {
            problem("scenario `\(name)` has no `steps`", nameNode.span.in(file))
        }
        return s
    }

    private mutating func readCommon(_ m: [String: YAMLNode], into s: inout Scenario) {
        if let t = m["start"], let text = string(t, "`start`") { s.start = Timed(text: text, span: t.span.in(file)) }
        if let p = m["people"] { s.peopleSpan = p.span.in(file) }
        if let d = m["data"] { s.dataSpan = d.span.in(file) }
        if let p = m["people"], let pm = mapping(p, "`people`", known: nil) {
            for (role, node) in pm.sorted(by: { $0.key < $1.key }) {
                if let person = string(node, "the person bound to `\(role)`") { s.people[role] = person }
            }
        }
        if let d = m["data"] {
            if let dm = YAMLValues.map(d) {
                for (k, v) in dm { s.data[k] = v }
            } else {
                problem("`data` must be a mapping of case fields, not \(d.kindDescription)", d.span.in(file))
            }
        }
    }

    private mutating func step(_ node: YAMLNode) -> ScenarioStep? {
        guard let m = mapping(node, "a step", known: Self.stepKeys) else { return nil }
        var step = ScenarioStep(action: .none, span: node.span.in(file), clock: nil, refused: nil, expectations: [])
        if let at = m["at"], let text = string(at, "`at`") { step.clock = .at(Timed(text: text, span: at.span.in(file))) }
        if let after = m["after"] {
            if m["at"] != nil { problem("a step takes `at` or `after`, not both", after.span.in(file)) }
            if let d = duration(after) { step.clock = .after(d, after.span.in(file)) }
        }
        if let add = m["add_signer"] {
            // 加签: the `add_signer` event, its request written as the step's mapping.
            if m["fire"] != nil || m["tick"] != nil || m["data"] != nil {
                problem("a step that adds a signer takes no `fire`, `tick` or `data`", add.span.in(file))
            }
            step.span = add.span.in(file)
            guard let actorNode = m["as"], let actor = string(actorNode, "`as`") else {
                if m["as"] == nil { problem("`add_signer` needs `as:`, the person who adds the signer", add.span.in(file)) }
                return nil
            }
            guard let request = YAMLValues.map(add) else {
                problem("`add_signer` takes a mapping `{person, position, reason}`", add.span.in(file))
                return nil
            }
            var role: String?
            if let r = m["role"] { role = string(r, "`role`") }
            var item: Int?
            if let i = m["item"] {
                if case .int(let n)? = i.scalar?.value, n >= 0, n <= Int(Int32.max) { item = Int(n) } else {
                    problem("`item` must be a foreach item index (0, 1, …)", i.span.in(file))
                }
            }
            var key: String?
            if let k = m["key"] { key = string(k, "`key`") }
            step.action = .fire(name: Event.addSigner, actor: actor, role: role, item: item, payload: request, key: key)
        } else if let fire = m["fire"] {
            step.span = fire.span.in(file)
            if m["tick"] != nil { problem("a step either fires an event or ticks the clock, not both", fire.span.in(file)) }
            guard let name = string(fire, "`fire`") else { return nil }
            guard let actorNode = m["as"], let actor = string(actorNode, "`as`") else {
                if m["as"] == nil { problem("`fire: \(name)` needs `as:`, the person who sends it", fire.span.in(file)) }
                return nil
            }
            var role: String?
            if let r = m["role"] { role = string(r, "`role`") }
            var item: Int?
            if let i = m["item"] {
                if case .int(let n)? = i.scalar?.value, n >= 0, n <= Int(Int32.max) { item = Int(n) } else {
                    problem("`item` must be a foreach item index (0, 1, …)", i.span.in(file))
                }
            }
            var payload: [String: ValueIR] = [:]
            if let d = m["data"] {
                if let dm = YAMLValues.map(d) { payload = dm } else {
                    problem("`data` must be a mapping of case fields, not \(d.kindDescription)", d.span.in(file))
                }
            }
            var key: String?
            if let k = m["key"] { key = string(k, "`key`") }
            step.action = .fire(name: name, actor: actor, role: role, item: item, payload: payload, key: key)
            if let a = m["assign"], let am = mapping(a, "`assign`", known: nil) {
                var people: [String: String] = [:]
                for (role, node) in am { if let person = string(node, "the person assigned to `\(role)`") { people[role] = person } }
                step.assign = people
            }
            if let f = m["for"] { step.actingFor = string(f, "`for`") }
            for k in ["reassign", "to", "task", "reason"] where m[k] != nil {
                if let n = m[k] { problem("`\(k)` belongs to a `reassign:` step", n.span.in(file)) }
            }
            for k in ["substitute", "from", "until"] where m[k] != nil {
                if let n = m[k] { problem("`\(k)` belongs to a `substitute:` step, not to one that fires an event", n.span.in(file)) }
            }
        } else if let re = m["reassign"] {
            // `reassign: ROLE` by `as:` to `to:`, of one open `task:` or for the rest of the case.
            step.span = re.span.in(file)
            if m["tick"] != nil { problem("a step either reassigns or ticks the clock, not both", re.span.in(file)) }
            guard let role = string(re, "`reassign`") else { return nil }
            guard let actorNode = m["as"], let actor = string(actorNode, "`as`") else {
                if m["as"] == nil { problem("`reassign: \(role)` needs `as:`, the person who reassigns", re.span.in(file)) }
                return nil
            }
            guard let toNode = m["to"], let person = string(toNode, "`to`") else {
                if m["to"] == nil { problem("`reassign: \(role)` needs `to:`, the person who takes over", re.span.in(file)) }
                return nil
            }
            let task = m["task"].flatMap { string($0, "`task`") }
            let reason = m["reason"].flatMap { string($0, "`reason`") } ?? ""
            var item: Int?
            if let i = m["item"] {
                if case .int(let n)? = i.scalar?.value, n >= 0, n <= Int(Int32.max) { item = Int(n) } else {
                    problem("`item` must be a foreach item index (0, 1, …)", i.span.in(file))
                }
            }
            let key = m["key"].flatMap { string($0, "`key`") }
            for k in ["role", "data", "assign", "for", "substitute", "from", "until"] where m[k] != nil {
                if let n = m[k] { problem("`\(k)` does not belong to a `reassign:` step", n.span.in(file)) }
            }
            step.action = .fire(name: Event.reassign, actor: actor, role: nil, item: item, payload: [:], key: key)
            step.reassignment = Reassignment(role: role, person: person, task: task, reason: reason)
        } else if let sub = m["substitute"] {
            step.span = sub.span.in(file)
            step.substitution = substitution(sub, m)
        } else {
            for k in ["as", "role", "item", "data", "key", "assign", "to", "task", "reason", "for", "from", "until"] where m[k] != nil {
                if let n = m[k] { problem("`\(k)` belongs to a step that fires an event (`fire:`)", n.span.in(file)) }
            }
            if let tick = m["tick"] {
                step.span = tick.span.in(file)
                step.action = .tick
                if case .string(let text)? = tick.scalar?.value {
                    if step.clock != nil { problem("give the time in `tick:` or in `at`/`after`, not both", tick.span.in(file)) }
                    if let d = DurationParser.parse(text) { step.clock = .after(d, tick.span.in(file)) } else {
                        step.clock = .at(Timed(text: text, span: tick.span.in(file)))
                    }
                } else if tick.scalar == nil || (tick.scalar?.value != .null && tick.scalar?.value != .bool(true)) {
                    problem("`tick` takes nothing, `true`, a duration (`3 working days`) or a time", tick.span.in(file))
                }
            }
        }
        if let r = m["refused"] {
            if case .fire = step.action { step.refused = refusal(r) } else {
                problem("only a step that fires an event can expect `refused`", r.span.in(file))
            }
        }
        if let e = m["expect"] { step.expectations = expectations(e) }
        if case .none = step.action, step.substitution == nil, m["substitute"] == nil, step.clock == nil, step.expectations.isEmpty, m["after"] == nil, m["at"] == nil, m["expect"] == nil {
            problem("this step does nothing; give `fire`, `tick`, `after`, `at` or `expect`", node.span.in(file))
        }
        return step
    }

    /// `substitute: SUBSTITUTE` with `for: PERSON`, `until:` and optionally `from:`.
    private mutating func substitution(_ node: YAMLNode, _ m: [String: YAMLNode]) -> ScenarioSubstitution? {
        guard let who = string(node, "`substitute`") else { return nil }
        guard let f = m["for"], let person = string(f, "`for`") else {
            if m["for"] == nil { problem("`substitute: \(who)` needs `for:`, the person they stand in for", node.span.in(file)) }
            return nil
        }
        guard let u = m["until"], let until = string(u, "`until`") else {
            if m["until"] == nil { problem("`substitute: \(who)` needs `until:`, a date (included) or a time", node.span.in(file)) }
            return nil
        }
        var from: Timed?
        if let n = m["from"], let text = string(n, "`from`") { from = Timed(text: text, span: n.span.in(file)) }
        return ScenarioSubstitution(substitute: who, person: person, from: from, until: Timed(text: until, span: u.span.in(file)), span: node.span.in(file))
    }

    private mutating func refusal(_ node: YAMLNode) -> ExpectedRefusal? {
        var out = ExpectedRefusal(kind: nil, messageContains: nil, span: node.span.in(file))
        if node.scalar != nil {
            if node.scalar?.value == .bool(true) { return out }
            guard let text = string(node, "`refused`") else { return nil }
            out.kind = refusalKind(text, node)
            return out
        }
        guard let m = mapping(node, "`refused`", known: ["reason", "message"]) else { return nil }
        if let r = m["reason"], let text = string(r, "`reason`") { out.kind = refusalKind(text, r) }
        if let msg = m["message"] { out.messageContains = string(msg, "`message`") }
        return out
    }

    private mutating func refusalKind(_ text: String, _ node: YAMLNode) -> Refusal.Kind? {
        if let k = RuntimeDiagnostics.kind(named: text) { return k }
        let names = RuntimeDiagnostics.kindNames
        let suggestion = Suggestions.closest(to: text, among: names)
        diagnostics.append(Diagnostic(
            ScenarioSyntax(message: "`\(text)` is not a refusal reason"), at: node.span.in(file), label: "unknown reason",
            help: suggestion.map { "did you mean `\($0)`?" } ?? "the reasons are: \(names.joined(separator: ", "))",
            fixIts: suggestion.map { [FixIt("use `\($0)`", replacing: node.span.in(file), with: $0)] } ?? []))
        return nil
    }

    private mutating func expectations(_ node: YAMLNode) -> [Expectation] {
        let known = Expectation.Kind.allCases.map(\.rawValue)
        guard let pairs = node.mapping else {
            problem("`expect` must be a mapping such as `{state: review}`, not \(node.kindDescription)", node.span.in(file))
            return []
        }
        var out: [Expectation] = []
        for p in pairs {
            guard let key = p.key.scalar?.text, let kind = Expectation.Kind(rawValue: key) else {
                unknownKey(p.key, context: "`expect`", known: known)
                continue
            }
            out.append(Expectation(kind: kind, value: YAMLValues.value(p.value), span: p.key.span.in(file)))
        }
        return out
    }

    // MARK: small readers

    private mutating func mapping(_ node: YAMLNode, _ what: String, known: [String]?) -> [String: YAMLNode]? {
        guard let pairs = node.mapping else {
            problem("\(what) must be a mapping, not \(node.kindDescription)", node.span.in(file))
            return nil
        }
        var out: [String: YAMLNode] = [:]
        for p in pairs {
            guard let key = p.key.scalar?.text else {
                problem("a key in \(what) must be text", p.key.span.in(file))
                continue
            }
            if let known, !known.contains(key) {
                unknownKey(p.key, context: what, known: known)
                continue
            }
            out[key] = out[key] ?? p.value
        }
        return out
    }

    private mutating func unknownKey(_ key: YAMLNode, context: String, known: [String]) {
        let text = key.scalar?.text ?? ""
        let suggestion = Suggestions.closest(to: text, among: known)
        diagnostics.append(Diagnostic(
            ScenarioSyntax(message: "unknown key `\(text)` in \(context)"), at: key.span.in(file), label: "unknown key",
            help: suggestion.map { "did you mean `\($0)`?" } ?? "the keys of \(context) are: \(known.joined(separator: ", "))",
            fixIts: suggestion.map { [FixIt("rename the key", replacing: key.span.in(file), with: $0)] } ?? []))
    }

    private mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = node.scalar, s.value != .null else {
            problem("\(what) must be text, not \(node.kindDescription)", node.span.in(file))
            return nil
        }
        return s.text
    }

    private mutating func duration(_ node: YAMLNode) -> DurationSyntax? {
        guard let text = string(node, "`after`") else { return nil }
        guard let d = DurationParser.parse(text) else {
            diagnostics.append(Diagnostic(ScenarioTime(message: "`\(text)` is not a duration"), at: node.span.in(file),
                                          help: "write a duration such as \(DurationParser.examples)"))
            return nil
        }
        return d
    }

    private mutating func problem(_ message: String, _ span: SourceSpan) {
        diagnostics.append(Diagnostic(ScenarioSyntax(message: message), at: span))
    }
}

extension ScenarioFiles {
    /// `NAME.test.yaml` tests `NAME.yaml` in the same folder unless it names a `workflow:`.
    public static func defaultWorkflow(for scenarioPath: String) -> String {
        for suffix in [".test.yaml", ".test.yml"] where scenarioPath.hasSuffix(suffix) {
            return String(scenarioPath.dropLast(suffix.count)) + ".yaml"
        }
        return scenarioPath
    }
}
