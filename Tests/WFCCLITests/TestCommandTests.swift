import WFCService
import Foundation
import Testing
import WFCDriver
import WFCRuntime
import WFCScenarios

/// `wfc test` and `wfc run` through the built executable.
@Suite struct TestCommandTests {
    static let workflow = """
        workflow: mini
        version: 1
        title: 小流程
        roles:
          clerk: {title: 内勤}
          boss: {title: 主管}
        case:
          amount: {type: int, default: 0}
        start: fill
        states:
          fill:
            fills: [amount]
            on:
              send: {by: clerk, to: check, when: "case.amount > 0"}
          check:
            on:
              ok: {by: boss, to: done}
              back: {by: boss, to: fill}
          done: {final: completed}

        """

    static let passing = """
        defaults:
          people: {clerk: li, boss: wang}
        scenarios:
          - name: happy path
            steps:
              - {fire: send, as: li, data: {amount: 2}, expect: {state: check, tasks: {check: [wang]}}}
              - {fire: ok, as: wang, expect: {outcome: completed}}
          - name: boss cannot send
            steps:
              - {fire: send, as: wang, refused: not-authorized}

        """

    @Test func passingScenariosExitZeroWithOneLineEach() throws {
        let dir = try CLI.tempDir(["mini.yaml": Self.workflow, "mini.test.yaml": Self.passing])
        let r = try CLI.run(["test", "."], cwd: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines == ["✔ mini.test.yaml:4 happy path", "✔ mini.test.yaml:8 boss cannot send", "2 passed, 0 failed"])
    }

    @Test func aWorkflowPathFindsItsScenarioFile() throws {
        let dir = try CLI.tempDir(["mini.yaml": Self.workflow, "mini.test.yaml": Self.passing])
        let r = try CLI.run(["test", "mini.yaml"], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stdout.hasSuffix("2 passed, 0 failed\n"))
    }

    @Test func aFailingExpectationExitsOneAndPointsAtIt() throws {
        let failing = Self.passing.replacingOccurrences(of: "outcome: completed", with: "outcome: withdrawn")
        let dir = try CLI.tempDir(["mini.yaml": Self.workflow, "mini.test.yaml": failing])
        let r = try CLI.run(["test", "--color", "never", "."], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("✘ mini.test.yaml:4 happy path"))
        #expect(r.stdout.contains("mini.test.yaml:7:39: error[WFC8007]: expected outcome `withdrawn`, got `completed`"))
        #expect(r.stdout.hasSuffix("1 passed, 1 failed\n"))
    }

    @Test func coverageListsWhatNoScenarioReached() throws {
        let dir = try CLI.tempDir(["mini.yaml": Self.workflow, "mini.test.yaml": Self.passing])
        let r = try CLI.run(["test", "--coverage", "."], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("mini.yaml: states 3/3, transitions 2/3"))
        #expect(r.stdout.contains("transition never taken: check --back--> fill (mini.yaml:18)"))
    }

    @Test func jsonReportIsOneDocument() throws {
        let dir = try CLI.tempDir(["mini.yaml": Self.workflow, "mini.test.yaml": Self.passing])
        let r = try CLI.run(["test", "--format", "json", "--coverage", "."], cwd: dir)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Int == 2)
        #expect(object?["failed"] as? Int == 0)
        let scenarios = object?["scenarios"] as? [[String: Any]]
        #expect(scenarios?.map { $0["name"] as? String } == ["happy path", "boss cannot send"])
        #expect((object?["coverage"] as? [[String: Any]])?.first?["missedTransitions"] as? [Any] != nil)
    }

    @Test func usageErrorsExitTwo() throws {
        let dir = try CLI.tempDir(["mini.yaml": Self.workflow])
        #expect(try CLI.run(["test", "nope"], cwd: dir).status == 2)
        let noScenario = try CLI.run(["test", "mini.yaml"], cwd: dir)
        #expect(noScenario.status == 2)
        #expect(noScenario.stderr.contains("mini.test.yaml"))
        #expect(try CLI.run(["test", "."], cwd: dir).status == 2)
    }

    @Test func aBrokenWorkflowFailsItsScenarioFile() throws {
        let broken = Self.workflow.replacingOccurrences(of: "to: done", with: "to: dnoe")
        let dir = try CLI.tempDir(["mini.yaml": broken, "mini.test.yaml": Self.passing])
        let r = try CLI.run(["test", "--color", "never", "."], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC8002]"))
        #expect(r.stdout.contains("dnoe"))
        #expect(r.stdout.hasSuffix("0 passed, 1 failed\n"))
    }

    @Test func runPrintsTheTraceAndRefusalsAtThePolicyLine() throws {
        let dir = try CLI.tempDir([
            "mini.yaml": Self.workflow,
            "case.yaml": "people: {clerk: li, boss: wang}\nstart: 2025-09-22 09:00\n",
            "events.yaml": "- {fire: send, as: li}\n- {fire: send, as: li, data: {amount: 3}}\n- {fire: ok, as: wang}\n",
        ])
        let r = try CLI.run(["run", "mini.yaml", "--data", "case.yaml", "--events", "events.yaml", "--color", "never"], cwd: dir)
        #expect(r.status == 1, "a refused step makes the run exit 1")
        #expect(r.stdout.contains("`send` by li  ✘ refused (guard-false)"))
        #expect(r.stdout.contains("mini.yaml:14:42: error[WFC6010]"))
        #expect(r.stdout.contains("transition: send → check"))
        #expect(r.stdout.contains("final: completed, active [done], version 3"))
    }

    @Test func runOfTheExampleIsTrue() throws {
        let r = try CLI.run(["run", "workflows/company-handover.yaml", "--data", "examples/handover-case.yaml",
                             "--events", "examples/handover-events.yaml", "--color", "never"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("escalation: escalated to hr"))
        #expect(r.stdout.contains("error[WFC6011]"))
        #expect(r.stdout.contains("final: running, active [check]"))
    }

    @Test func thePolicyLibraryPasses() throws {
        let r = try CLI.run(["test", "workflows"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.hasSuffix(" 0 failed\n"))
    }
}

/// The scenario JSON Schema and the scenario parser accept the same keys.
@Suite struct ScenarioSchemaTests {
    @Test func schemaAndParserAgree() throws {
        let url = CLI.packageRoot.appendingPathComponent("schema/wfc-scenario.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        func keys(_ object: Any?) -> Set<String> { Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? []) }
        let defs = schema["$defs"] as? [String: Any]
        #expect(keys(schema) == Set(ScenarioParser.fileKeys))
        #expect(keys((schema["properties"] as? [String: Any])?["defaults"]) == Set(ScenarioParser.defaultsKeys))
        #expect(keys(defs?["scenario"]) == Set(ScenarioParser.scenarioKeys))
        #expect(keys(defs?["step"]) == Set(ScenarioParser.stepKeys))
        #expect(keys(defs?["expect"]) == Set(Expectation.Kind.allCases.map(\.rawValue)))
        let reasons = ((defs?["reason"] as? [String: Any])?["anyOf"] as? [[String: Any]])?.first?["enum"] as? [String]
        #expect(Set(reasons ?? []) == Set(RuntimeDiagnostics.kindNames))
    }
}
