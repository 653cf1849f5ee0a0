import ArgumentParser

struct CaseStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Compile a workflow and start a case with a case file; prints the case id.",
        discussion: "The case file (YAML or JSON) has `people:` (role: person), `data:` (case fields) and an optional `start:` time. Every problem is listed; nothing is stored if there is any.")

    @Argument(help: ArgumentHelp("The workflow file.", valueName: "workflow"))
    var workflow: String

    @Option(help: ArgumentHelp("The case file: people and data.", valueName: "file"))
    var data: String

    @Option(help: ArgumentHelp("The case id (default: WORKFLOW-xxxxxxxx).", valueName: "id"))
    var id: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Who starts the case (recorded in the audit log).", valueName: "person"))
    var actor: String?

    @Option(help: ArgumentHelp("The time (default: the case file's start:, else the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the workflow calendar's time zone, UTC when the workflow has none; the time used is then shown.", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    @OptionGroup var input: InputOptions

    func run() async throws {
        try finish(await options.commands.start(workflow: workflow, dataFile: data, id: id, now: now, actor: actor, input: input.settings))
    }
}
