import WFCDiagnostics
import WFCIR
import WFCRuntime

/// A workflow file compiled and made executable, with the sources that its IR spans point
/// into, so that runtime errors can show the policy line.
public struct LoadedWorkflow: Sendable {
    /// The path the workflow was loaded from, as given.
    public var path: String
    public var definition: Definition
    /// The main file and its fragments.
    public var sources: [SourceFile]

    public init(path: String, definition: Definition, sources: [SourceFile]) {
        self.path = path
        self.definition = definition
        self.sources = sources
    }

    /// The displayed path of a file named in the IR (the IR keeps names relative to the
    /// workflow's folder, so that its content hash does not depend on where it was compiled).
    public func displayPath(_ irFile: String) -> String {
        if let s = sources.first(where: { $0.path == irFile || $0.path.hasSuffix("/" + irFile) }) { return s.path }
        return irFile
    }

    /// Where a refusal points, for rendering.
    public func diagnostic(_ refusal: Refusal, fallback: SourceSpan) -> Diagnostic {
        RuntimeDiagnostics.diagnostic(refusal, file: displayPath, fallback: fallback)
    }
}

