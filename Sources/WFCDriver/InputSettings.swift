import WFCCompiler
import WFCDiagnostics
import WFCYAML

/// What every command that reads inputs is given (`--max-file-bytes`, `--max-depth`,
/// `--max-alias-nodes`, `--root`): each file is read and loaded under the same limits, and
/// imports stay inside the root.
public struct InputSettings: Sendable {
    public var limits: YAMLLimits
    /// `--root`: the folder imports (and links found in checked folders) must stay inside;
    /// nil: the repository holding each file.
    public var root: String?

    public init(limits: YAMLLimits = YAMLLimits(), root: String? = nil) {
        self.limits = limits
        self.root = root
    }

    public var loader: YAMLLoader { YAMLLoader(limits: limits) }

    /// The compiler for these limits and root.
    public var compiler: WorkflowCompiler { WorkflowCompiler(loader: loader, root: root) }

    /// Reads an input file (or standard input for `-`) under the size limit.
    public func read(_ path: String) throws(CommandFailure) -> SourceFile {
        try FileDiscovery.read(path, maxBytes: limits.maxFileBytes)
    }
}
