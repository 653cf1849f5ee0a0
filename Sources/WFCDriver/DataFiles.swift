import Foundation
import WFCDiagnostics
import WFCIR
import WFCYAML

/// Reads case data, event scripts and scenario files written in YAML or JSON (JSON is YAML)
/// into plain values, with diagnostics that point at the file.
public enum DataFiles {
    /// Loads a YAML or JSON file; diagnostics when it is not readable YAML.
    public static func load(_ path: String, loader: YAMLLoader = YAMLLoader()) throws(CommandFailure) -> (file: SourceFile, root: YAMLNode?, diagnostics: [Diagnostic]) {
        let file = try FileDiscovery.read(path, maxBytes: loader.limits.maxFileBytes)
        let r = loader.load(file)
        return (file, r.root, r.diagnostics)
    }
}
