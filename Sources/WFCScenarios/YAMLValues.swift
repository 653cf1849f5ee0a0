import WFCIR
import WFCYAML

/// Case data, event payloads and expected values written in YAML (or JSON) as plain values.
public enum YAMLValues {
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
