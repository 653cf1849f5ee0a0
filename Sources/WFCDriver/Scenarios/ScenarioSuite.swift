import Foundation
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCScenarios

/// Everything `wfc test` found: one result per scenario, problems with whole files, and
/// per-workflow coverage.
public struct TestReport: Sendable {
    public var results: [ScenarioResult] = []
    /// Scenario files that could not run (syntax errors, a workflow that does not compile).
    public var brokenFiles: [(path: String, diagnostics: [Diagnostic])] = []
    public var coverage: [WorkflowCoverage] = []
    public var sources: [SourceFile] = []

    public var passed: Int { results.filter(\.passed).count }
    public var failed: Int { results.count - passed + brokenFiles.count }
    public var exitStatus: ExitStatus { failed == 0 && !results.isEmpty ? .clean : .diagnostics }
    /// Every failure diagnostic, in output order.
    public var diagnostics: [Diagnostic] {
        (brokenFiles.flatMap(\.diagnostics) + results.flatMap(\.failures))
    }
}

/// Coverage of one workflow by all its scenarios.
public struct WorkflowCoverage: Sendable {
    public var workflowPath: String
    public var workflowID: String
    public var totalStates: Int
    public var totalTransitions: Int
    /// States never entered, in file order.
    public var missedStates: [(name: String, span: SpanIR)]
    /// Event transitions never taken: state, event, target, where.
    public var missedTransitions: [(state: String, event: String, target: String, span: SpanIR)]
}

/// Finds scenario files and runs them.
public enum ScenarioSuite {
    /// The scenario files among `paths`: `*.test.yaml` files, the scenario file next to a
    /// workflow named directly, and every scenario file under a directory.
    public static func discover(_ paths: [String], root: String? = nil) throws(CommandFailure) -> [String] {
        var out: [String] = []
        for p in paths {
            if FileDiscovery.isDirectory(p) {
                out += try FileDiscovery.expand([p], root: root).filter(ScenarioFiles.isScenario)
            } else if ScenarioFiles.isScenario(p) {
                out.append(p)
            } else {
                guard FileManager.default.fileExists(atPath: p) else { throw CommandFailure(.usage, key: "failure.no-such-path", ["path": p]) }
                let base = p.hasSuffix(".yaml") ? String(p.dropLast(5)) : p.hasSuffix(".yml") ? String(p.dropLast(4)) : p
                let candidates = [base + ".test.yaml", base + ".test.yml"]
                guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                    throw CommandFailure(.usage, key: "failure.no-scenario-file", ["path": p, "expected": candidates[0]])
                }
                out.append(found)
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }.sorted()
    }

    /// Runs every scenario of every file, in file order, reading under `input`'s limits.
    public static func run(_ files: [String], input: InputSettings = InputSettings()) -> TestReport {
        var report = TestReport()
        var workflows: [String: (LoadedWorkflow, Coverage)] = [:]
        var order: [String] = []
        for path in files {
            let source: SourceFile
            do {
                source = try input.read(path)
            } catch {
                report.brokenFiles.append((path, [Diagnostic(ScenarioWorkflow(message: error.message), at: .point(path, 0))]))
                continue
            }
            report.sources.append(source)
            var parser = ScenarioParser(loader: input.loader)
            let parsed = parser.parse(source)
            let errors = parsed.diagnostics.filter { $0.severity == .error }
            guard errors.isEmpty, let file = parsed.file else {
                report.brokenFiles.append((path, parsed.diagnostics.sortedForOutput()))
                continue
            }
            let key = file.workflowPath
            if workflows[key] == nil {
                switch LoadedWorkflow.load(key, compiler: input.compiler) {
                case .success(let w):
                    workflows[key] = (w, Coverage(workflow: key))
                    order.append(key)
                    report.sources += w.sources
                case .failure(let f):
                    var ds = [Diagnostic(ScenarioWorkflow(message: "the workflow under test cannot run: \(f.message)"), at: file.workflowSpan,
                                         help: "`wfc check \(key)` shows why; a scenario file tests NAME.yaml next to it unless it names `workflow:`")]
                    ds += f.diagnostics.filter { $0.severity == .error }
                    report.sources += f.sources
                    report.brokenFiles.append((path, ds))
                    continue
                }
            }
            guard let (w, before) = workflows[key] else { continue }
            var coverage = before
            report.results += ScenarioRunner(workflow: w).run(file, coverage: &coverage)
            workflows[key] = (w, coverage)
        }
        for key in order {
            guard let (w, c) = workflows[key] else { continue }
            report.coverage.append(coverageReport(w, c))
        }
        return report
    }

    static func coverageReport(_ w: LoadedWorkflow, _ c: Coverage) -> WorkflowCoverage {
        let ir = w.definition.ir
        let missedStates = ir.states.filter { !c.statesEntered.contains($0.name) }.map { ($0.name, $0.span) }
        var missed: [(String, String, String, SpanIR)] = []
        var total = 0
        for s in ir.states {
            for t in s.transitions {
                total += 1
                if !c.transitionsTaken.contains(t.span) {
                    let target = t.target.flatMap { ir.states.indices.contains($0) ? ir.states[$0].name : nil } ?? "join"
                    missed.append((s.name, t.event, target, t.span))
                }
            }
        }
        return WorkflowCoverage(workflowPath: w.path, workflowID: ir.id, totalStates: ir.states.count, totalTransitions: total,
                                missedStates: missedStates, missedTransitions: missed)
    }
}
