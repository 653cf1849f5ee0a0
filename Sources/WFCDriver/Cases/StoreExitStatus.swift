import WFCService
import WFCStore

extension StoreDiagnostics {
    /// The exit status a store failure ends a `wfc case` command with (docs/store.md): an
    /// unknown case id or a rejected argument is a usage error (2), like a missing path; a
    /// duplicate id and a retryable conflict are reported problems (1); a store that cannot be
    /// opened, read or written, or is corrupt, is an I/O failure (3). A failed verify is 1.
    public static func exitStatus(_ kind: StoreError.Kind) -> ExitStatus {
        switch kind {
        case .notFound, .unknownDefinition, .invalidArgument, .unsafeText, .keyReused, .unsupportedBackend, .badLocation: .usage
        case .unknownSubstitution, .invalidSubstitution: .usage
        case .substitutionOverlaps, .alreadyExists, .conflict, .busy, .checkpointInvalid, .timedOut: .diagnostics
        case .corrupt, .io, .notAStore, .unavailable, .schemaTooNew, .permissionDenied: .failure
        }
    }
}
