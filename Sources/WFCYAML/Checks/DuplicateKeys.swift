import WFCDiagnostics

/// Repeated keys in one mapping. libyaml accepts them silently, and a later key would quietly
/// replace an earlier one, so this is an error. The check itself runs when a mapping closes
/// (TreeBuilder.checkDuplicateKeys), comparing resolved values, so `0x10` and `16` collide.
enum DuplicateKeys {
    static func diagnostic(key: String, at span: NodeSpan, first: NodeSpan, file: String) -> Diagnostic {
        Diagnostic(
            DuplicateKey(key: key), at: span.in(file), label: "duplicate key",
            secondary: [Label(first.in(file), "first defined here")])
    }
}

struct DuplicateKey: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1003", name: "duplicate-key", summary: "A mapping has the same key twice.",
        explanation: """
            YAML requires the keys of a mapping to be unique, but libyaml and many other parsers \
            accept duplicates and silently keep only the last value. In a policy that would mean \
            a rule you wrote is ignored. wfc rejects the file and shows both places.
            """,
        example: "states:\n  review:\n    title: 交接审核\n    title: 经理审批\n",
        fix: "states:\n  review:\n    title: 经理审批\n")
    var key: String
    var message: String { "duplicate key \"\(key)\" in this mapping" }
    var help: String? { "remove one of the two entries, or rename one of them" }
}
