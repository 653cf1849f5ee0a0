import ArgumentParser
import WFCCompiler

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (2020-12) of the workflow file format.",
        discussion: "Save it and point editors at it with `# yaml-language-server: $schema=PATH` for completion and hover docs.")

    func run() throws {
        emit(WorkflowSchema.json())
    }
}
