import Foundation
import WFCDiagnostics
import WFCIR
import WFCRuntime
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
    public var diagnostics: [Diagnostic] = []

    static func load(_ path: String) throws(CaseFailure) -> CaseFile {
        let file: SourceFile
        do throws(CommandFailure) { file = try FileDiscovery.read(path) } catch { throw CaseFailure(error.status, error.message) }
        return read(file)
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
                guard let m = DataFiles.map(p.value) else { c.problem(c.span(p.value), "`data` must be a mapping of case fields"); continue }
                c.data = m
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

extension CaseCommands {
    /// `wfc case start WORKFLOW --data FILE [--id ID] [--now T] [--as PERSON]`: compiles the
    /// workflow, checks the case file, and stores the case pinned to the compiled definition.
    /// Every problem is reported; nothing is stored if there is any.
    public func start(workflow: String, dataFile: String, id: String?, now: String?, actor: String?) -> CaseOutput {
        guarded { () throws(CaseFailure) -> CaseOutput in
            var out = CaseOutput()
            let w: LoadedWorkflow
            switch LoadedWorkflow.load(workflow) {
            case .success(let loaded): w = loaded
            case .failure(let f):
                if f.diagnostics.isEmpty { throw CaseFailure(.failure, f.message) }
                out.stderr = diagnosticOutput.render(f.diagnostics, sources: SourceMap(f.sources))
                out.status = .diagnostics
                return out
            }
            let def = w.definition
            let tz = def.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
            let c = try CaseFile.load(dataFile)
            let caseID = id ?? "\(def.ir.id)-\(UUID().uuidString.prefix(8).lowercased())"
            let at = try time(now ?? c.start, tz)
            var problems = c.diagnostics
            if problems.isEmpty {
                // Dry run: every problem, not only the first kind the engine stops at.
                let fallback = SourceSpan.point(c.file.path, 0)
                if case .refused(let r) = Engine.start(def, caseID: caseID, data: c.data, people: c.people, now: at) {
                    problems.append(w.diagnostic(r, fallback: fallback))
                    if [.unknownRole, .unboundRole, .separationOfDuties].contains(r.kind) {
                        // Distinct stand-ins for every role, to see the data problems too.
                        let standIns = Dictionary(def.ir.roles.map { ($0.name, "\u{1}\($0.name)") }, uniquingKeysWith: { a, _ in a })
                        if case .refused(let dr) = Engine.start(def, caseID: caseID, data: c.data, people: standIns, now: at), dr.kind == .invalidData {
                            problems.append(w.diagnostic(dr, fallback: fallback))
                        }
                    }
                }
            }
            if !problems.isEmpty {
                out.stderr = diagnosticOutput.render(problems, sources: SourceMap(w.sources + [c.file]))
                out.status = .diagnostics
                return out
            }
            let store = try open()
            let result: StartOutcome
            do throws(StoreError) { result = try store.start(def, caseID: caseID, data: c.data, people: c.people, actor: actor, now: at) } catch { throw CaseFailure(error) }
            switch result {
            case .refused(let r):
                out.stderr = diagnosticOutput.render([w.diagnostic(r, fallback: .point(c.file.path, 0))], sources: SourceMap(w.sources))
                out.status = .diagnostics
            case .started(let step, let audit):
                // The IR names files relative to the workflow's folder.
                let dir = URL(fileURLWithPath: w.path).deletingLastPathComponent().path
                let sources = w.sources.map { f in
                    let full = URL(fileURLWithPath: f.path).path
                    let rel = full.hasPrefix(dir + "/") ? String(full.dropFirst(dir.count + 1)) : URL(fileURLWithPath: f.path).lastPathComponent
                    return PolicySource(irFile: rel, path: f.path, text: String(decoding: f.bytes, as: UTF8.self))
                }
                try? store.attachSources(def.hash, sources)
                if format == .json {
                    out.stdout = json(StartView(id: caseID, workflow: def.ir.id, definition: def.hash, version: step.snapshot.version,
                                                status: step.snapshot.status.rawValue, active: Show.activeStates(def, step.snapshot), seq: audit.seq, hash: audit.hash))
                } else {
                    out.stdout = caseID + "\n"
                }
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
