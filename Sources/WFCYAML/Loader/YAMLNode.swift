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

    /// The byte range, for diagnostics.
    public func `in`(_ path: SourcePath) -> SourceSpan {
        SourceSpan(path: path, start: start.offset, end: end.offset)
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

/// One node of a loaded file: a handle into the file's ``YAMLTree`` (the tree is shared,
/// immutable and freed as a whole). Copying a node copies the handle, not the subtree.
///
/// Equality and hashing are structural: two nodes are equal when their content, span, tag
/// and style are, whichever trees they live in.
public struct YAMLNode: Hashable, Sendable {
    /// What a node holds. Lists and mappings are views into the tree.
    public enum Content: Hashable, Sendable {
        case scalar(YAMLScalar)
        case sequence(YAMLSequence)
        case mapping(YAMLMapping)
    }

    let tree: YAMLTree
    let index: Int

    init(tree: YAMLTree, index: Int) {
        self.tree = tree
        self.index = index
    }

    @inline(__always) var record: YAMLTree.Record { tree.records[index] }

    /// The node's scalar, list or mapping.
    public var content: Content {
        let r = record
        switch r.kind {
        case .scalar: return .scalar(tree.scalar(r))
        case .sequence: return .sequence(YAMLSequence(tree: tree, start: r.first, count: r.count))
        case .mapping: return .mapping(YAMLMapping(tree: tree, start: r.first, count: r.count / 2))
        }
    }

    /// Where the node was written (for an alias: where the alias was written).
    public var span: NodeSpan { record.span }

    /// The explicit tag, fully expanded (e.g. `tag:yaml.org,2002:str`), if one was written.
    public var tag: String? {
        let t = record.tag
        return t < 0 ? nil : tree.tags[t]
    }

    /// True for `[...]` and `{...}`.
    public var isFlow: Bool { record.isFlow }

    /// The scalar, when the node is one.
    public var scalar: YAMLScalar? {
        let r = record
        return r.kind == .scalar ? tree.scalar(r) : nil
    }

    /// The text of a scalar whose value is a string or a number, as written (escapes undone):
    /// what a key that takes text reads. Nil for lists, mappings, booleans and null. Cheaper
    /// than ``scalar``, which also makes the value.
    public var textValue: String? { tree.textValue(record) }

    /// True when the node is a scalar.
    public var isScalar: Bool { record.kind == .scalar }

    /// The scalar's text as a ``YAMLKeyCode``, without making a `String`: nil for lists,
    /// mappings and texts longer than ``YAMLKeyCode/maxBytes``.
    public var keyCode: YAMLKeyCode? { tree.keyCode(record) }

    /// The entries, when the node is a list.
    public var sequence: YAMLSequence? {
        let r = record
        return r.kind == .sequence ? YAMLSequence(tree: tree, start: r.first, count: r.count) : nil
    }

    /// The entries, when the node is a mapping.
    public var mapping: YAMLMapping? {
        let r = record
        return r.kind == .mapping ? YAMLMapping(tree: tree, start: r.first, count: r.count / 2) : nil
    }

    /// The value of a mapping entry whose key is the string `key`.
    public subscript(key: String) -> YAMLNode? {
        let r = record
        guard r.kind == .mapping else { return nil }
        var key = key
        return key.withUTF8 { wanted in
            tree.text.withUnsafeBufferPointer { t in
                var k = r.first
                let end = r.first + r.count
                while k + 1 < end {
                    // Compare the key's bytes directly: no String is made per entry.
                    let kr = tree.records[k]
                    if kr.kind == .scalar && YAMLTree.sameText(UnsafeBufferPointer(rebasing: t[kr.first..<kr.first + kr.count]), wanted) {
                        return YAMLNode(tree: tree, index: k + 1)
                    }
                    k += 2
                }
                return nil
            }
        }
    }

    /// "a mapping", "a list", "a string"…, for messages.
    public var kindDescription: String {
        let r = record
        switch r.kind {
        case .scalar: return r.valueKind.typeDescription
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// Structural equality: content, span, tag and flow style.
    public static func == (a: YAMLNode, b: YAMLNode) -> Bool {
        if a.tree === b.tree && a.index == b.index { return true }
        let ra = a.record, rb = b.record
        return ra.span == rb.span && ra.isFlow == rb.isFlow && a.tag == b.tag && a.content == b.content
    }

    /// Hashes the span and the content.
    public func hash(into h: inout Hasher) {
        h.combine(span)
        h.combine(content)
    }
}

/// The entries of a list node, in order: a view into the tree.
public struct YAMLSequence: RandomAccessCollection, Hashable, Sendable {
    let tree: YAMLTree
    let start: Int
    /// The number of entries.
    public let count: Int

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of entries.
    public var endIndex: Int { count }

    /// The entry at `i` (0-based).
    public subscript(i: Int) -> YAMLNode {
        precondition(i >= 0 && i < count, "index out of range")
        return YAMLNode(tree: tree, index: start + i)
    }

    /// Element-wise equality.
    public static func == (a: Self, b: Self) -> Bool { a.elementsEqual(b) }
    /// Hashes the entries.
    public func hash(into h: inout Hasher) {
        h.combine(count)
        for n in self { h.combine(n) }
    }
}

/// The entries of a mapping node, in the order written: a view into the tree.
public struct YAMLMapping: RandomAccessCollection, Hashable, Sendable {
    let tree: YAMLTree
    /// The first key; keys and values alternate in the tree.
    let start: Int
    /// The number of entries.
    public let count: Int

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of entries.
    public var endIndex: Int { count }

    /// The entry at `i` (0-based).
    public subscript(i: Int) -> YAMLPair {
        YAMLPair(key: key(at: i), value: value(at: i))
    }

    /// The key of entry `i` (0-based), without making the pair.
    public func key(at i: Int) -> YAMLNode {
        precondition(i >= 0 && i < count, "index out of range")
        return YAMLNode(tree: tree, index: start + 2 * i)
    }

    /// Whether the key of entry `i` is a scalar, without making a node.
    public func keyIsScalar(at i: Int) -> Bool {
        precondition(i >= 0 && i < count, "index out of range")
        return tree.records[start + 2 * i].kind == .scalar
    }

    /// The key of entry `i` as a ``YAMLKeyCode``, without making a node: nil for a list or
    /// mapping key and for texts longer than ``YAMLKeyCode/maxBytes``.
    public func keyCode(at i: Int) -> YAMLKeyCode? {
        precondition(i >= 0 && i < count, "index out of range")
        return tree.keyCode(tree.records[start + 2 * i])
    }

    /// The text of entry `i`'s value when it is a string or a number scalar (see
    /// ``YAMLNode/textValue``), with its byte range; without making a node.
    public func valueText(at i: Int) -> (text: String, start: Int, end: Int)? {
        precondition(i >= 0 && i < count, "index out of range")
        let r = tree.records[start + 2 * i + 1]
        guard let text = tree.textValue(r) else { return nil }
        let span = r.span
        return (text, span.start.offset, span.end.offset)
    }

    /// The value of entry `i` (0-based), without making the pair.
    public func value(at i: Int) -> YAMLNode {
        precondition(i >= 0 && i < count, "index out of range")
        return YAMLNode(tree: tree, index: start + 2 * i + 1)
    }

    /// Element-wise equality.
    public static func == (a: Self, b: Self) -> Bool { a.elementsEqual(b) }
    /// Hashes the entries.
    public func hash(into h: inout Hasher) {
        h.combine(count)
        for p in self { h.combine(p) }
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

/// The nodes of one loaded file in a flat array: no per-node allocation, and freeing the
/// tree frees a few arrays. The children of a collection are consecutive records (keys and
/// values alternating for mappings); an alias node is a copy of its target's record, so it
/// shares the target's children.
final class YAMLTree: Sendable {
    enum Kind: UInt8 { case scalar, sequence, mapping }

    /// How a scalar's value is stored in ``Record/payload``.
    enum ValueKind: UInt8 {
        case null, bool, int, float, string

        var typeDescription: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .int: "an integer"
            case .float: "a number"
            case .string: "a string"
            }
        }
    }

    /// Files up to this size can be stored: positions and indices are kept in 32 bits.
    static let maxFileBytes = Int(Int32.max)

    /// One node, as plain data (48 bytes). Positions are 32-bit (files are at most
    /// ``maxFileBytes``); a file has fewer nodes than twice its bytes, so 32-bit indices fit.
    struct Record {
        /// The bits of an int, float or bool value.
        var payload: UInt64
        private var startOffset, startLine, startColumn: Int32
        private var endOffset, endLine, endColumn: Int32
        private var first32: UInt32
        private var count32: UInt32
        private var tag32: Int32
        var kind: Kind
        var valueKind: ValueKind
        var style: ScalarStyle
        var isFlow: Bool

        init(span: NodeSpan, first: Int, count: Int, payload: UInt64, tag: Int,
             kind: Kind, valueKind: ValueKind, style: ScalarStyle, isFlow: Bool) {
            self.payload = payload
            (startOffset, startLine, startColumn) = (0, 0, 0)
            (endOffset, endLine, endColumn) = (0, 0, 0)
            first32 = UInt32(truncatingIfNeeded: first)
            count32 = UInt32(truncatingIfNeeded: count)
            tag32 = Int32(truncatingIfNeeded: tag)
            self.kind = kind
            self.valueKind = valueKind
            self.style = style
            self.isFlow = isFlow
            self.span = span
        }

        var span: NodeSpan {
            get {
                NodeSpan(start: SourcePosition(offset: Int(startOffset), line: Int(startLine), column: Int(startColumn)),
                         end: SourcePosition(offset: Int(endOffset), line: Int(endLine), column: Int(endColumn)))
            }
            set {
                startOffset = Int32(truncatingIfNeeded: newValue.start.offset)
                startLine = Int32(truncatingIfNeeded: newValue.start.line)
                startColumn = Int32(truncatingIfNeeded: newValue.start.column)
                endOffset = Int32(truncatingIfNeeded: newValue.end.offset)
                endLine = Int32(truncatingIfNeeded: newValue.end.line)
                endColumn = Int32(truncatingIfNeeded: newValue.end.column)
            }
        }

        /// Scalars: where the text starts in ``text``. Collections: the first child record.
        var first: Int { Int(first32) }
        /// Scalars: the length of the text in bytes. Collections: the number of child records
        /// (twice the pairs for mappings).
        var count: Int { Int(count32) }
        /// Index into ``tags``, or -1.
        var tag: Int { Int(tag32) }
    }

    let records: [Record]
    /// The UTF-8 bytes of every scalar's text (after quoting and escapes are undone), back
    /// to back. A scalar's `String` is made when it is asked for; a string value is its text.
    let text: [UInt8]
    let tags: [String]

    init(records: [Record], text: [UInt8], tags: [String]) {
        self.records = records
        self.text = text
        self.tags = tags
    }

    /// ``YAMLNode/textValue`` of record `r`.
    func textValue(_ r: Record) -> String? {
        guard r.kind == .scalar else { return nil }
        switch r.valueKind {
        case .string, .int, .float:
            return text.withUnsafeBufferPointer { t in String(decoding: UnsafeBufferPointer(rebasing: t[r.first..<r.first + r.count]), as: UTF8.self) }
        case .bool, .null:
            return nil
        }
    }

    /// ``YAMLNode/keyCode`` of record `r`.
    func keyCode(_ r: Record) -> YAMLKeyCode? {
        guard r.kind == .scalar, r.count <= YAMLKeyCode.maxBytes else { return nil }
        return text.withUnsafeBufferPointer { t in YAMLKeyCode(utf8: UnsafeBufferPointer(rebasing: t[r.first..<r.first + r.count])) }
    }

    func scalar(_ r: Record) -> YAMLScalar {
        let s = String(decoding: text[r.first..<r.first + r.count], as: UTF8.self)
        return YAMLScalar(text: s, style: r.style, value: Self.value(r, text: s))
    }

    /// Whether two UTF-8 texts are equal as Swift strings are (canonical equivalence), cheaply
    /// in the usual cases: equal bytes are equal; texts whose first bytes are different ASCII
    /// characters differ (an ASCII character is a starter, so it stays first when normalized);
    /// two ASCII texts are equal only when their bytes are. Otherwise compare as strings.
    static func sameText(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if let x = a.first, let y = b.first, x != y && x < 0x80 && y < 0x80 { return false }
        if a.count == b.count && a.elementsEqual(b) { return true }
        if isASCII(a) && isASCII(b) { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }

    private static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in b where c >= 0x80 { return false }
        return true
    }

    /// The value of scalar record `r` whose text is `text`.
    static func value(_ r: Record, text: String) -> ScalarValue {
        switch r.valueKind {
        case .null: .null
        case .bool: .bool(r.payload != 0)
        case .int: .int(Int(truncatingIfNeeded: r.payload))
        case .float: .float(Double(bitPattern: r.payload))
        case .string: .string(text)
        }
    }
}

/// A short text (a mapping key) packed into two words with its length, so that keys compare
/// as two integers instead of as strings. Byte equality is string equality for the keys this
/// is meant for: ASCII texts, which no other text is canonically equivalent to.
@frozen public struct YAMLKeyCode: Hashable, Sendable {
    /// The longest text that has a code, in UTF-8 bytes.
    public static let maxBytes = 15
    @usableFromInline var low: UInt64
    @usableFromInline var high: UInt64

    /// The code of `bytes`; nil when longer than ``maxBytes``. Always inlined: for a string
    /// literal the optimiser then works the code out at compile time.
    @inlinable @inline(__always)
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n <= Self.maxBytes else { return nil }
        // Bytes 0–7 in `low`, 8–14 in `high`, the length in `high`'s top byte. A loop of
        // shifts, not a memory copy: this runs for every key looked up.
        var low: UInt64 = 0, high = UInt64(n) << 56
        var i = 0
        while i < min(n, 8) {
            low |= UInt64(bytes[i]) << (8 * UInt64(i))
            i += 1
        }
        while i < n {
            high |= UInt64(bytes[i]) << (8 * UInt64(i - 8))
            i += 1
        }
        (self.low, self.high) = (low, high)
    }

    /// The code's bits folded into one word, for small hash tables of keys.
    @inlinable public var mixed: UInt64 { low ^ (high &* 0x9E37_79B9_7F4A_7C15) }

    /// The code of `text`; nil when longer than ``maxBytes``.
    public init?(_ text: String) {
        var text = text
        guard let code = text.withUTF8({ YAMLKeyCode(utf8: $0) }) else { return nil }
        self = code
    }
}
