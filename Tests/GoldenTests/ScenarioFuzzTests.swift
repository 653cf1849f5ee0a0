import Foundation
import Testing
import WFCCompiler
import WFCDiagnostics
import WFCDriver
import WFCScenarios

/// No scenario file and no compiling workflow crashes `wfc test`: deterministic mutations of the
/// policy library's scenario files run against their workflows, and mutated workflows that
/// still compile run their original scenarios through the engine.
@Suite struct ScenarioFuzzTests {
    typealias Rng = MutationFuzzTests.Rng

    struct Pair {
        var workflow: LoadedWorkflow
        var workflowBytes: [UInt8]
        var scenario: SourceFile
    }

    static func pairs() throws -> [Pair] {
        let root = Golden.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("workflows")
        var out: [Pair] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() where name.hasSuffix(".test.yaml") {
            let scenarioURL = root.appendingPathComponent(name)
            let workflowURL = root.appendingPathComponent(String(name.dropLast(".test.yaml".count)) + ".yaml")
            guard case .success(let w) = LoadedWorkflow.load(workflowURL.path) else { continue }
            out.append(Pair(workflow: w, workflowBytes: Array(try Data(contentsOf: workflowURL)),
                            scenario: SourceFile(path: scenarioURL.path, bytes: Array(try Data(contentsOf: scenarioURL)))))
        }
        return out
    }

    @Test func mutatedScenariosAndWorkflowsNeverCrashTheRunner() throws {
        let pairs = try Self.pairs()
        #expect(pairs.count >= 10)
        var rng = Rng(state: 20261130)
        var ran = 0, failed = 0, workflowsRun = 0
        for k in 0..<4500 {
            let pair = pairs[k % pairs.count]
            var workflow = pair.workflow
            var scenario = pair.scenario
            if k % 3 == 2 {
                // A mutated workflow that still compiles runs the original scenarios.
                let bytes = MutationFuzzTests.mutate(pair.workflowBytes, &rng)
                guard case .success(let w) = LoadedWorkflow.load(SourceFile(path: pair.workflow.path, bytes: bytes)) else { continue }
                workflow = w
                workflowsRun += 1
            } else {
                scenario = SourceFile(path: pair.scenario.path, bytes: MutationFuzzTests.mutate(pair.scenario.bytes, &rng))
            }
            var parser = ScenarioParser()
            let parsed = parser.parse(scenario)
            _ = HumanRenderer().render(parsed.diagnostics, sources: SourceMap([scenario]))
            guard let file = parsed.file, !parsed.diagnostics.contains(where: { $0.severity == .error }) else { continue }
            var coverage = Coverage(workflow: workflow.path)
            let results = ScenarioRunner(workflow: workflow).run(file, coverage: &coverage)
            let failures = results.flatMap(\.failures)
            _ = HumanRenderer().render(failures, sources: SourceMap([scenario] + workflow.sources))
            ran += results.count
            failed += results.filter { !$0.passed }.count
        }
        // The fuzz must reach the engine and its failure paths, not stop at YAML errors.
        #expect(ran > 2000)
        #expect(failed > 150)
        #expect(workflowsRun > 20)
    }
}
