import WFCDiagnostics

/// Applies explicit tags. Only the core schema's `!!str`, `!!int`, `!!float`, `!!bool`,
/// `!!null`, `!!seq` and `!!map` (and the non-specific `!`) are accepted.
enum TagCheck {
    static let prefix = "tag:yaml.org,2002:"

    enum Result {
        case value(ScalarValue)
        case mismatch(String)
        case unsupported
        case outOfRange
    }

    static func resolveScalar(_ text: String, tag: String) -> Result {
        switch tag {
        case "!", prefix + "str": return .value(.string(text))
        case prefix + "null": return .value(.null)
        case prefix + "bool":
            switch text {
            case "true", "True", "TRUE": return .value(.bool(true))
            case "false", "False", "FALSE": return .value(.bool(false))
            default: return .mismatch("true or false")
            }
        case prefix + "int":
            switch ScalarResolver.resolvePlain(text) {
            case .value(.int(let v)): return .value(.int(v))
            case .intOutOfRange: return .outOfRange
            default: return .mismatch("an integer")
            }
        case prefix + "float":
            switch ScalarResolver.resolvePlain(text) {
            case .value(.int(let v)): return .value(.float(Double(v)))
            case .value(.float(let v)): return .value(.float(v))
            default: return .mismatch("a number")
            }
        case prefix + "seq": return .mismatch("a list")
        case prefix + "map": return .mismatch("a mapping")
        default: return .unsupported
        }
    }

    static func collectionTagOK(_ tag: String?, sequence: Bool) -> Bool {
        guard let tag, tag != "!" else { return true }
        return tag == prefix + (sequence ? "seq" : "map")
    }

    static func shortName(_ tag: String) -> String {
        tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }
}

struct UnsupportedTag: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1011", name: "bad-tag", summary: "A tag is unsupported, or the value does not match its tag.",
        explanation: """
            wfc uses YAML 1.2's core schema. The tags `!!str`, `!!int`, `!!float`, `!!bool`, \
            `!!null`, `!!seq` and `!!map` are accepted when the value matches them; custom tags \
            such as `!python/object` are rejected because they ask the reader to build objects.
            """,
        example: "notice_days: !!int thirty\nowner: !employee zhang.san\n",
        fix: "notice_days: !!int 30\nowner: zhang.san\n")
    var tag: String
    var expected: String?
    var message: String {
        if let expected { return "the value does not match its tag \(tag) (expected \(expected))" }
        return "the tag \(tag) is not supported"
    }
    var help: String? { expected == nil ? "remove the tag; wfc reads plain YAML data only" : "fix the value, or remove the tag" }
}
