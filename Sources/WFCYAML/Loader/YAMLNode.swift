import WFCDiagnostics

/// A position in a source file: UTF-8 byte offset inside, 1-based line and column (in Unicode
/// scalars) for people.
public struct SourcePosition: Hashable, Sendable, Codable {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }
}

/// Where a node was written. `end` is exclusive.
public struct NodeSpan: Hashable, Sendable, Codable {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end
    }

    /// The byte range, for diagnostics.
    public func `in`(_ file: String) -> SourceSpan {
        SourceSpan(file: file, start: start.offset, end: end.offset)
    }
}

/// A scalar's value after resolution by YAML 1.2's core schema.
public enum ScalarValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    /// The name of the type, for messages ("a string", "an integer").
    public var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .float: "a number"
        case .string: "a string"
        }
    }
}

/// A scalar with its text as written (after quoting and escapes are undone), its style and
/// its resolved value.
public struct YAMLScalar: Hashable, Sendable {
    /// The scalar's content: for quoted scalars, escapes are already processed.
    public var text: String
    public var style: ScalarStyle
    public var value: ScalarValue

    public init(text: String, style: ScalarStyle, value: ScalarValue) {
        self.text = text
        self.style = style
        self.value = value
    }
}

/// A YAML node with the span it was written at.
public struct YAMLNode: Hashable, Sendable {
    public enum Content: Hashable, Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var span: NodeSpan
    /// The explicit tag, fully expanded (e.g. `tag:yaml.org,2002:str`), if one was written.
    public var tag: String?
    /// True for `[...]` and `{...}`.
    public var isFlow: Bool

    public init(content: Content, span: NodeSpan, tag: String? = nil, isFlow: Bool = false) {
        self.content = content
        self.span = span
        self.tag = tag
        self.isFlow = isFlow
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let s) = content { return s }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let m) = content { return m }
        return nil
    }

    /// The value of a mapping entry whose key is the string `key`.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        for p in pairs where p.key.scalar?.text == key { return p.value }
        return nil
    }

    /// "a mapping", "a list", "a string"…, for messages.
    public var kindDescription: String {
        switch content {
        case .scalar(let s): s.value.typeDescription
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// One entry of a mapping; the key keeps its own span.
public struct YAMLPair: Hashable, Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
