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

    /// A YAML node as a plain value: mappings become maps, sequences lists, scalars by the
    /// core schema (dates stay text; the runtime checks them against the case schema).
    public static func value(_ node: YAMLNode) -> ValueIR {
        switch node.content {
        case .scalar(let s):
            switch s.value {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let d): return .double(d)
            case .string(let t): return .string(t)
            }
        case .sequence(let items):
            return .list(items.map(value))
        case .mapping(let pairs):
            var m: [String: ValueIR] = [:]
            for p in pairs { m[p.key.scalar?.text ?? ""] = value(p.value) }
            return .map(m)
        }
    }

    /// A mapping's entries as plain values, or nil when the node is not a mapping.
    public static func map(_ node: YAMLNode?) -> [String: ValueIR]? {
        guard let node, case .map(let m) = value(node) else { return nil }
        return m
    }
}
