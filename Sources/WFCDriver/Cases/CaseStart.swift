import WFCService
import Foundation
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCScenarios
import WFCStore
import WFCYAML

/// A case file: `people:` (role → person), `data:` (case fields) and an optional `start:` time.
/// The one reader of case files, for `wfc case start` and `wfc run`.
public struct CaseFile: Sendable {
    public var file: SourceFile
    public var people: [String: String] = [:]
    public var data: [String: ValueIR] = [:]
    public var start: String?
    /// Where `start:` is written.
    public var startSpan: SourceSpan?
    /// Where each value under `data:` is written, by the path the runtime names it with
    /// (`notice_days`, `assets[2].tag`), and `data:` itself under the empty path.
    var dataSpans: [String: SourceSpan] = [:]
    public var diagnostics: [Diagnostic] = []

    /// Where the data problem `issue` (`PATH: why`, as the runtime words it) is written: the
    /// value at PATH, else its nearest enclosing value, else `data:`; nil without `data:`.
    public func dataSpan(forIssue issue: String) -> SourceSpan? {
        var path = issue.range(of: ": ").map { String(issue[..<$0.lowerBound]) } ?? ""
        while !path.isEmpty {
            if let span = dataSpans[path] { return span }
            // `a.b[2].c` → `a.b[2]` → `a.b` → `a`.
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = String(path[..<cut])
        }
        return dataSpans[""]
    }

    /// Where a refusal of starting the case points when the policy gives no line: invalid
    /// data at the value in this file, anything else at `fallback`.
    public func span(for refusal: Refusal, fallback: SourceSpan) -> SourceSpan {
        guard refusal.kind == .invalidData else { return fallback }
        return refusal.details.first.flatMap(dataSpan(forIssue:)) ?? fallback
    }

    /// Records the span of `node` and of everything under it, keyed by path.
    private mutating func recordSpans(_ node: YAMLNode, path: String) {
        dataSpans[path] = span(node)
        switch node.content {
        case .mapping(let pairs):
            for p in pairs {
                guard let key = p.key.scalar?.text else { continue }
                recordSpans(p.value, path: path.isEmpty ? key : path + "." + key)
            }
        case .sequence(let items):
            for (i, item) in items.enumerated() { recordSpans(item, path: "\(path)[\(i)]") }
        case .scalar:
            break
        }
    }

    /// Reads an already loaded file; every problem is a diagnostic (WFC6001).
    public static func read(_ file: SourceFile, loader: YAMLLoader = YAMLLoader()) -> CaseFile {
        let loaded = loader.load(file)
        var c = CaseFile(file: file, diagnostics: loaded.diagnostics)
        guard let root = loaded.root else {
            if c.diagnostics.isEmpty { c.problem(.point(file.path, 0), "the case file is empty: give `people:` and `data:`") }
            return c
        }
        guard case .mapping(let pairs) = root.content else {
            c.problem(c.span(root), "the case file must be a mapping with `people:` and `data:`")
            return c
        }
        for p in pairs {
            let key = p.key.scalar?.text ?? ""
            switch key {
            case "people":
                guard case .mapping(let roles) = p.value.content else { c.problem(c.span(p.value), "`people` must map roles to people"); continue }
                for r in roles {
                    let role = r.key.scalar?.text ?? ""
                    var person: String?
                    if case .scalar(let s) = r.value.content, case .string(let text) = s.value, !text.isEmpty {
                        person = text
                    } else if case .scalar(let s) = r.value.content, case .int = s.value {
                        person = s.text
                    } else {
                        c.problem(c.span(r.value), "people.\(StoredText.escaped(role)): expected a person id (text)")
                    }
                    // The rule the store applies to every person id, checked here to point at the line.
                    let unsafe = StoredText.problem(role, what: "the role name `\(StoredText.escaped(role))`").map { (r.key, $0) }
                        ?? person.flatMap { StoredText.problem($0, what: "the person id of role `\(role)`") }.map { (r.value, $0) }
                    if let (node, why) = unsafe {
                        c.diagnostics.append(Diagnostic(UnsafeText(message: why), at: c.span(node)))
                    } else if let person {
                        c.people[role] = person
                    }
                }
            case "data":
                guard let m = YAMLValues.map(p.value) else { c.problem(c.span(p.value), "`data` must be a mapping of case fields"); continue }
                c.data = m
                c.recordSpans(p.value, path: "")
                c.dataSpans[""] = c.span(p.key)
            case "start":
                if case .scalar(let s) = p.value.content {
                    c.start = s.text
                    c.startSpan = c.span(p.value)
                } else {
                    c.problem(c.span(p.value), "`start` must be a time")
                }
            default:
                let known = ["people", "data", "start"]
                let help = Suggestions.closest(to: key, among: known).map { "did you mean `\($0)`?" }
                c.diagnostics.append(Diagnostic(InvalidCaseData(message: "unknown key `\(key)` in the case file (expected people, data, start)"),
                                                at: c.span(p.key), help: help))
            }
        }
        return c
    }

    func span(_ n: YAMLNode) -> SourceSpan { SourceSpan(file: file.path, start: n.span.start.offset, end: n.span.end.offset) }

    mutating func problem(_ at: SourceSpan, _ message: String) {
        diagnostics.append(Diagnostic(InvalidCaseData(message: message), at: at))
    }
}

extension CaseFile {
    static func load(_ path: String, input: InputSettings = InputSettings()) throws(CaseFailure) -> CaseFile {
        let file: SourceFile
        do throws(CommandFailure) { file = try input.read(path) } catch { throw CaseFailure(error.status, error.message) }
        return read(file, loader: input.loader)
    }
}

extension CaseCommands {
    /// `wfc case start WORKFLOW --data FILE [--id ID] [--now T] [--as PERSON]`: compiles the
    /// workflow, checks the case file, and stores the case pinned to the compiled definition.
    /// Every problem is reported; nothing is stored if there is any.
    /// Files are read under `input`'s limits, and the workflow's imports stay inside its root.
    public func start(workflow: String, dataFile: String, id: String?, now: String?, actor: String?, input: InputSettings = InputSettings()) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            var out = CaseOutput()
            let w: LoadedWorkflow
            switch LoadedWorkflow.load(workflow, compiler: input.compiler) {
            case .success(let loaded): w = loaded
            case .failure(let f):
                if f.diagnostics.isEmpty { throw CaseFailure(f.status, f.message) }
                out.stderr = diagnosticOutput.render(f.diagnostics, sources: SourceMap(f.sources))
                out.status = .diagnostics
                return out
            }
            let def = w.definition
            let tz = def.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
            let c = try CaseFile.load(dataFile, input: input)
            let caseID = id ?? "\(def.ir.id)-\(UUID().uuidString.prefix(8).lowercased())"
            var problems = c.diagnostics
            // `start:` is checked even when --now overrides it: a bad file is an error either way.
            var fileStart: Date?
            if let text = c.start {
                fileStart = ClockText.parse(text, timeZone: tz)
                if fileStart == nil {
                    problems.append(Diagnostic(InvalidCaseData(message: "start: `\(text)` is not a time"), at: c.startSpan ?? .point(c.file.path, 0),
                                               help: "give \(ClockText.forms)"))
                }
            }
            let at = now != nil ? try time(now, tz) : fileStart ?? Date()
            if let now { out.stderr += timeNote(now, at, tz, zone: Self.zoneReason(def)) }
            if problems.isEmpty {
                // Dry run: every problem, not only the first kind the engine stops at. A data
                // problem points at the value in the case file.
                let fallback = SourceSpan.point(c.file.path, 0)
                func diagnostic(_ r: Refusal) -> Diagnostic {
                    w.diagnostic(r, fallback: c.span(for: r, fallback: fallback))
                }
                if case .refused(let r) = Engine.start(def, caseID: caseID, data: c.data, people: c.people, now: at) {
                    problems.append(diagnostic(r))
                    if [.unknownRole, .unboundRole, .separationOfDuties].contains(r.kind) {
                        // Distinct stand-ins for every role, to see the data problems too.
                        let standIns = Dictionary(def.ir.roles.map { ($0.name, "\u{1}\($0.name)") }, uniquingKeysWith: { a, _ in a })
                        if case .refused(let dr) = Engine.start(def, caseID: caseID, data: c.data, people: standIns, now: at), dr.kind == .invalidData {
                            problems.append(diagnostic(dr))
                        }
                    }
                }
            }
            if !problems.isEmpty {
                out.stderr += diagnosticOutput.render(problems, sources: SourceMap(w.sources + [c.file]))
                out.status = .diagnostics
                return out
            }
            let policy = w.policySources
            let svc = try service(.readWrite).at(at)
            // The operator without --as records no actor; an empty --as is refused as the ledger
            // refuses every empty actor.
            if let actor, let why = StoredText.problem(actor, what: "the actor") { throw CaseFailure(StoreError.unsafeText(why)) }
            let started: CaseView
            do throws(ServiceError) {
                started = try await svc.startCase(on: def, policy: policy, id: caseID, data: c.data, people: c.people,
                                                                         by: .storeOperator(actingAs: actor))
            } catch {
                guard case .refused(let r, _, _, _) = error.cause else { throw CaseFailure(error) }
                out.stderr += diagnosticOutput.render([w.diagnostic(r, fallback: .point(c.file.path, 0))], sources: SourceMap(w.sources))
                out.status = .diagnostics
                return out
            }
            if format == .json {
                out.stdout = json(StartView(id: caseID, workflow: def.ir.id, definition: def.hash, version: started.version,
                                            status: started.status, active: started.active, seq: started.headSeq, hash: started.headHash))
            } else {
                out.stdout = caseID + "\n"
            }
            return out
        }
    }
}

struct StartView: Encodable {
    var id, workflow, definition: String
    var version: Int
    var status: String
    var active: [String]
    var seq: Int
    var hash: String
}

extension LoadedWorkflow {
    /// The policy files to keep with the definition, named as the IR names them (relative to
    /// the workflow's folder).
    var policySources: [PolicySource] {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return sources.map { f in
            let full = URL(fileURLWithPath: f.path).path
            let rel = full.hasPrefix(dir + "/") ? String(full.dropFirst(dir.count + 1)) : URL(fileURLWithPath: f.path).lastPathComponent
            return PolicySource(irFile: rel, path: f.path, text: String(decoding: f.bytes, as: UTF8.self))
        }
    }
}
