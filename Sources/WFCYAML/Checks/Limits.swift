import WFCDiagnostics

/// Bounds that keep hostile input cheap. Defaults are generous for policy files.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file accepted, in bytes.
    public var maxFileBytes: Int
    /// Deepest nesting of lists and mappings.
    public var maxDepth: Int
    /// Nodes that aliases may add in total.
    public var maxAliasNodes: Int

    public static let defaultMaxFileBytes = 8 << 20
    public static let defaultMaxDepth = 256
    public static let defaultMaxAliasNodes = 100_000

    public init(maxFileBytes: Int = defaultMaxFileBytes, maxDepth: Int = defaultMaxDepth,
                maxAliasNodes: Int = defaultMaxAliasNodes) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxAliasNodes = maxAliasNodes
    }
}

struct NestingTooDeep: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1007", name: "nesting-too-deep", summary: "Lists and mappings are nested too deeply.",
        explanation: """
            Nesting deeper than the limit (256 by default; `--max-depth` changes it) is rejected \
            before it can exhaust memory or the stack. Real workflow files nest fewer than 10 \
            levels.
            """,
        example: "a: [[[[[[[[[[[[[[[[ … 300 levels … ]]]]]]]]]]]]]]]]\n",
        fix: "a: [1, 2, 3]\n")
    var limit: Int
    var message: String { "nesting is deeper than \(limit) levels" }
    var help: String? { "flatten the structure, or raise the limit with --max-depth" }
}

struct FileTooLarge: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1008", name: "file-too-large", summary: "The file is larger than the size limit.",
        explanation: """
            Files over the limit (8 MiB by default; `--max-file-bytes` changes it) are not parsed, \
            and not even read past the limit: this holds for every input (workflows, imports, \
            case data, events, scenarios, standard input) and every kind of file, so a device \
            such as /dev/zero or an endless pipe is refused too. A policy file is usually a few \
            kilobytes; split very large ones into fragments.
            """,
        example: "(a 20 MiB YAML file)\n",
        fix: "(split it into several files, or raise --max-file-bytes)\n")
    /// Unknown for a stream, which is read only up to the limit.
    var size: Int?
    var limit: Int
    var message: String {
        if let size { return "the file is \(size) bytes, over the limit of \(limit) bytes" }
        return "the input is larger than the limit of \(limit) bytes"
    }
    var help: String? { "split the file, or raise the limit with --max-file-bytes" }
}

struct IntegerOutOfRange: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1013", name: "integer-out-of-range", summary: "An integer does not fit in 64 bits.",
        explanation: "Integers must lie between -9223372036854775808 and 9223372036854775807. Quote the value if it is an identifier rather than a number.",
        example: "employee_no: 123456789012345678901234\n",
        fix: "employee_no: \"123456789012345678901234\"\n")
    var message: String { "this integer does not fit in 64 bits" }
    var help: String? { "if it is an identifier, put it in quotes to make it a string" }
}
