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
    public var message: String
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}
