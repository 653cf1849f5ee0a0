import ArgumentParser
import WFCCompiler
import WFCDiagnostics
import WFCDriver
import WFCScenarios

struct Doc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc",
        abstract: "Write Markdown documentation of policies: diagrams and clause maps.",
        discussion: "`wfc doc workflows > docs/policies.md`. Scenario and fragment files are skipped.")

    @Argument(help: ArgumentHelp("Workflow files or directories.", valueName: "path"))
    var paths: [String]

    @OptionGroup var input: InputOptions

    func run() throws {
        let settings = input.settings
        let compiler = settings.compiler
        let files = try FileDiscovery.expand(paths, root: input.root) { !ScenarioFiles.isScenario($0) }
        var policies: [(path: String, ir: WorkflowIR)] = []
        var failed: [CompileResult] = []
        for path in files {
            let result = compiler.compile(try settings.read(path))
            if result.isFragment { continue }
            if let ir = result.ir { policies.append((path, ir)) } else { failed.append(result) }
        }
        for r in failed {
            try Compilation.report(r, DiagnosticOutput(format: .human, useColor: false), toStderr: true)
        }
        if !failed.isEmpty { throw CommandFailure(.diagnostics, "fix the errors above first") }
        emit(PolicyDoc.markdown(policies))
    }
}
