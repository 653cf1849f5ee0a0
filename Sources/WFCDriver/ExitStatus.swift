import WFCDiagnostics
/// wfc's documented exit codes.
public enum ExitStatus: Int32, Sendable {
    /// No errors (and, with `--strict`, no warnings).
    case clean = 0
    /// Diagnostics with errors were reported (or warnings under `--strict`), or tests failed.
    case diagnostics = 1
    /// The command line was wrong: unknown option, missing argument, no such path.
    case usage = 2
    /// A file could not be read or written, or wfc itself failed.
    case failure = 3
}

/// An error that ends a command with a given exit status and a message for stderr.
public struct CommandFailure: Error, Sendable {
    public var status: ExitStatus
    /// The message in English.
    public var message: String
    /// The message's ``CLIText`` key and slots, when it has one: the command line shows it in
    /// the user's language.
    public var key: String?
    public var slots: [String: String] = [:]

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A failure whose message is the ``CLIText`` entry `key`.
    public init(_ status: ExitStatus, key: String, _ slots: [String: String] = [:]) {
        self.status = status
        self.message = CLIText.text(key, in: .en, slots)
        self.key = key
        self.slots = slots
    }

    /// The message in `language`.
    public func message(in language: DiagnosticLanguage) -> String {
        key.map { CLIText.text($0, in: language, slots) } ?? message
    }
}
