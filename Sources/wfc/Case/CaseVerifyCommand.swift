import ArgumentParser

struct CaseVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check cases' hash chains, replay their logs against the pinned definitions, and check a signed checkpoint.",
        discussion: """
            Checks every column the replay determines (snapshot, workflow, version, status, active states, \
            times, next due, timers). --all verifies every case in one process, a line per case as it is done. \
            --checkpoint FILE --public-key KEY.pub first checks the checkpoint's signature, then that no case \
            lost or changed events up to it (without an id: every case). Exits 1 when anything fails.
            """)

    @Argument(help: ArgumentHelp("The case id (or --all).", valueName: "id"))
    var id: String?

    @Flag(help: "Verify every case in the store.")
    var all = false

    @Option(help: ArgumentHelp("A checkpoint written by `wfc case checkpoint`.", valueName: "file"))
    var checkpoint: String?

    @Option(name: .customLong("public-key"), help: ArgumentHelp("The public key (KEY.pub) of the key that signed the checkpoint.", valueName: "file"))
    var publicKey: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if id != nil && all { throw ValidationError("give a case id or --all, not both") }
        if id == nil && !all && checkpoint == nil { throw ValidationError("give a case id, or --all to verify every case") }
        if checkpoint != nil && publicKey == nil { throw ValidationError("--checkpoint needs --public-key: the public key of the key that signed it") }
        if publicKey != nil && checkpoint == nil { throw ValidationError("--public-key is used with --checkpoint") }
    }

    func run() async throws {
        try finish(await options.commands.verify(id: id, all: all, checkpoint: checkpoint, publicKey: publicKey))
    }
}
