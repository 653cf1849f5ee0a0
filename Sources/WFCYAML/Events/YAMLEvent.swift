/// A position as libyaml reports it: `index` counts Unicode scalars from the start of the
/// text (after any BOM); `line` and `column` are 0-based.
public struct YAMLMark: Hashable, Sendable {
    public var index: Int
    public var line: Int
    public var column: Int
}

/// How a scalar was written.
public enum ScalarStyle: String, Hashable, Sendable, Codable {
    case plain
    case singleQuoted = "single-quoted"
    case doubleQuoted = "double-quoted"
    case literal
    case folded
}

/// One parse event, as libyaml's event API delivers it, with Swift strings.
public struct YAMLEvent: Sendable {
    public enum Kind: Sendable {
        case streamStart
        case streamEnd
        case documentStart(implicit: Bool)
        case documentEnd(implicit: Bool)
        case alias(anchor: String)
        /// `plainImplicit`: no tag was written and the style is plain, so the value is resolved
        /// by the schema. `quotedImplicit`: no tag and the style is not plain.
        case scalar(value: String, anchor: String?, tag: String?, style: ScalarStyle,
                    plainImplicit: Bool, quotedImplicit: Bool)
        case sequenceStart(anchor: String?, tag: String?, implicit: Bool, flow: Bool)
        case sequenceEnd
        case mappingStart(anchor: String?, tag: String?, implicit: Bool, flow: Bool)
        case mappingEnd
    }

    public var kind: Kind
    public var start: YAMLMark
    public var end: YAMLMark
}

/// Why libyaml stopped.
public struct YAMLParseError: Error, Sendable {
    public enum Stage: String, Sendable {
        case reader, scanner, parser, memory, other
    }

    public var stage: Stage
    /// libyaml's problem text, e.g. "mapping values are not allowed in this context".
    public var problem: String
    public var problemMark: YAMLMark?
    /// For reader errors: the byte offset of the offending input byte.
    public var problemOffset: Int?
    /// For reader errors: the offending value (a byte or a code point).
    public var problemValue: Int?
    /// What libyaml was doing, e.g. "while parsing a block mapping".
    public var context: String?
    public var contextMark: YAMLMark?
}
