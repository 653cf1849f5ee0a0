import ArgumentParser
import WFCCompiler
import WFCDriver

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: CLIText.abstract("schema"),
        discussion: CLIText.discussion("schema"))

    func run() throws {
        emit(WorkflowSchema.json())
    }
}
