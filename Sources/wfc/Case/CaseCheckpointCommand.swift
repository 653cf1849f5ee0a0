import ArgumentParser

struct CaseCheckpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign the chain heads of all cases with an Ed25519 key kept outside the store.",
        discussion: """
            --new-key FILE creates a key pair: FILE (the private key, mode 0600, never overwritten) and FILE.pub. \
            --key FILE signs every case's last event number and hash and its pinned definition, and writes the \
            checkpoint to -o FILE (or standard output). `wfc case verify --checkpoint FILE --public-key KEY.pub` \
            later proves that no case lost or changed events up to it. See docs/store.md, "Signed checkpoints".
            """)

    @Option(name: .customLong("new-key"), help: ArgumentHelp("Create a new key pair: FILE and FILE.pub.", valueName: "file"))
    var newKey: String?

    @Option(help: ArgumentHelp("The private key file to sign with.", valueName: "file"))
    var key: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the checkpoint to this file (default: standard output).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("The time recorded in the checkpoint (default: now).", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if (newKey == nil) == (key == nil) { throw ValidationError("give --key FILE to sign, or --new-key FILE to create a key") }
        if newKey != nil && output != nil { throw ValidationError("-o is for a checkpoint; --new-key writes FILE and FILE.pub") }
    }

    func run() async throws {
        if let newKey { return try finish(await options.commands.newCheckpointKey(newKey)) }
        try finish(await options.commands.checkpoint(key: key ?? "", output: output, now: now))
    }
}
