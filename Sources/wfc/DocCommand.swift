import ArgumentParser
import WFCCompiler
import WFCDiagnostics
import WFCDriver
import WFCScenarios

struct Doc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc",
        abstract: CLIText.abstract("doc"),
        discussion: CLIText.discussion("doc"))

    @Argument(help: .text("doc.paths", valueName: "path"))
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
        if !failed.isEmpty { throw CommandFailure(.diagnostics, CLIText.t("failure.fix-errors-first")) }
        emit(PolicyDoc.markdown(policies))
    }
}
