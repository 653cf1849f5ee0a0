import ArgumentParser

struct CaseVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a case's hash chain and replay its log against the pinned definition.",
        discussion: "Exits 1 and names the first event whose hash does not match when the log was edited.")

    @Argument(help: ArgumentHelp("The case id.", valueName: "id"))
    var id: String

    @OptionGroup var options: CaseOptions

    func run() throws {
        try finish(options.commands.verify(id: id))
    }
}
