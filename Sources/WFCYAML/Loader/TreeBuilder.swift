internal import CYAML
import WFCDiagnostics

/// The event-driven builder. It reads libyaml's events in place (no intermediate Swift
/// event), keeps an explicit stack so deep input cannot overflow the call stack, and checks
/// duplicate keys when a mapping closes.
///
/// Nodes are plain ``YAMLTree/Record`` values. The children of every open collection wait on
/// ``children``; when a collection closes they are copied, in one block, to the end of
/// ``records``, so that each collection's children are consecutive records.
struct TreeBuilder {
    typealias Record = YAMLTree.Record

    let file: SourceFile
    let limits: YAMLLimits
    var cursor: PositionCursor
    var diagnostics: [Diagnostic] = []

    private struct Frame {
        var isSequence: Bool
        var start: SourcePosition
        /// Index into ``tags``, or -1.
        var tag: Int
        /// Whether the collection has an anchor, kept on ``frameAnchors`` (so that a frame
        /// holds no `String` and costs nothing to copy or drop).
        var hasAnchor: Bool
        var flow: Bool
        /// Where this collection's children start on ``children``.
        var childStart: Int
        /// Nodes in this subtree, counting alias expansions, for the alias budget.
        var size = 1
    }

    private var stack: [Frame] = []
    /// Children of every open collection, innermost last (keys and values alternate for
    /// mappings).
    private var children: [Record] = []
    /// Finished nodes: the tree's records.
    private var records: [Record] = []
    /// The bytes of every scalar's text, back to back (``YAMLTree/text``).
    private let text: TextBuffer
    private var tags: [String] = []
    /// The document's root once it is complete.
    private var rootRecord: Record?
    private var anchors: [String: (record: Record, size: Int)] = [:]
    /// The anchors of the open collections that have one, innermost last.
    private var frameAnchors: [String] = []
    private var openAnchors: Set<String> = []
    private var aliasNodes = 0
    private var documents = 0
    private var stop = false

    /// `unicodeLineBreaks`: whether the file contains NEL, LS or PS (nil: find out).
    init(file: SourceFile, limits: YAMLLimits, unicodeLineBreaks: Bool? = nil) {
        self.file = file
        self.limits = limits
        self.cursor = PositionCursor(file: file, unicodeLineBreaks: unicodeLineBreaks)
        stack.reserveCapacity(16)
        children.reserveCapacity(64)
        // Workflow files have about one node per 10 bytes; reserving avoids regrowing.
        let expected = file.bytes.count / 8 + 16
        records.reserveCapacity(expected)
        // Texts are about as long as the source they come from.
        text = TextBuffer(capacity: file.bytes.count)
    }

    /// Reads every event; then ``root`` holds the tree, unless a fatal problem was found.
    mutating func run() {
        let parser = YAMLEventParser(bytes: file.bytes)
        while !stop {
            do {
                guard try parser.withNextRawEvent({ handle($0) }) != nil else { break }
            } catch {
                diagnostics.append(SyntaxErrors.diagnostic(error, file: file) { cursor.byteOffset($0.index) })
                rootRecord = nil
                return
            }
        }
        if stop { return }
        if documents == 0 {
            diagnostics.append(Diagnostic(EmptyDocument(), at: .point(file.sourcePath, 0)))
        } else if let r = rootRecord, r.kind == .scalar, r.valueKind == .null, r.style == .plain, r.tag < 0, r.count == 0 {
            diagnostics.append(Diagnostic(EmptyDocument(), at: r.span.in(file.sourcePath)))
            rootRecord = nil
        }
    }

    /// The root node, stored last in its tree; nil when loading failed or the file is empty.
    mutating func root() -> YAMLNode? {
        guard let r = rootRecord else { return nil }
        records.reserveCapacity(records.count + 1)
        records.append(r)
        let tree = YAMLTree(records: records, text: text.array(), tags: tags)
        return YAMLNode(tree: tree, index: records.count - 1)
    }

    private mutating func fail(_ d: Diagnostic) {
        diagnostics.append(d)
        rootRecord = nil
        stop = true
    }

    private mutating func handle(_ e: UnsafeMutablePointer<yaml_event_t>) {
        switch e.pointee.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                let span = span(e)
                fail(Diagnostic(MultipleDocuments(), at: span.in(file.sourcePath), label: "a second document starts here"))
            }
        case YAML_ALIAS_EVENT:
            let anchor = string(e.pointee.data.alias.anchor) ?? ""
            let span = span(e)
            guard let target = anchors[anchor] else {
                let recursive = openAnchors.contains(anchor)
                diagnostics.append(Diagnostic(
                    UnknownAnchor(anchor: anchor, recursive: recursive), at: span.in(file.sourcePath),
                    label: recursive ? "recursive alias" : "unknown anchor"))
                attach(nullScalar(span), size: 1, anchor: nil, mergeKey: false)
                return
            }
            aliasNodes += target.size
            if aliasNodes > limits.maxAliasNodes {
                fail(Diagnostic(AliasBudgetExceeded(limit: limits.maxAliasNodes), at: span.in(file.sourcePath), label: "this alias exceeds the budget"))
                return
            }
            // The copy shares the target's children: records are never changed once written.
            var node = target.record
            node.span = span
            let mergeKey = node.kind == .scalar && node.style == .plain && node.tag < 0
                && node.count == 2 && text.bytes(node.first, 2).elementsEqual("<<".utf8)
            attach(node, size: target.size, anchor: nil, mergeKey: mergeKey)
        case YAML_SCALAR_EVENT:
            let s = e.pointee.data.scalar
            let raw = s.value.map { UnsafeBufferPointer(start: $0, count: s.length) } ?? UnsafeBufferPointer(start: nil, count: 0)
            // The first two bytes of the value (0 when absent), for the shortcuts below.
            let b0 = raw.count > 0 ? raw[0] : 0
            let b1 = raw.count > 1 ? raw[1] : 0
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            // Tags and anchors are rare: no `String` (nor its release) unless one is there.
            let tag = s.tag == nil ? nil : string(s.tag)
            let span = span(e)
            let kind: YAMLTree.ValueKind
            var payload: UInt64 = 0
            if tag == nil && (style != .plain || raw.count > 0 && !ScalarResolver.mayBeNonString(firstByte: b0, count: raw.count)) {
                // Quoted and block scalars are strings, and so are most plain scalars (words),
                // decided by the first byte. No `String` is made: the tree keeps the bytes.
                kind = .string
            } else {
                (kind, payload) = Self.encode(resolve(String(decoding: raw, as: UTF8.self), tag: tag, style: style, span: span))
            }
            let start = text.count
            text.append(raw)
            let node = Record(span: span, first: start, count: raw.count, payload: payload, tag: tag == nil ? -1 : intern(tag),
                              kind: .scalar, valueKind: kind, style: style, isFlow: false)
            let mergeKey = style == .plain && tag == nil && raw.count == 2 && b0 == UInt8(ascii: "<") && b1 == UInt8(ascii: "<")
            attach(node, size: 1, anchor: s.anchor == nil ? nil : string(s.anchor), mergeKey: mergeKey)
        case YAML_SEQUENCE_START_EVENT:
            let d = e.pointee.data.sequence_start
            open(e, isSequence: true, anchor: string(d.anchor), tag: string(d.tag), flow: d.style == YAML_FLOW_SEQUENCE_STYLE)
        case YAML_MAPPING_START_EVENT:
            let d = e.pointee.data.mapping_start
            open(e, isSequence: false, anchor: string(d.anchor), tag: string(d.tag), flow: d.style == YAML_FLOW_MAPPING_STYLE)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            close(e)
        default:
            break
        }
    }

    private mutating func open(_ e: UnsafeMutablePointer<yaml_event_t>, isSequence: Bool, anchor: String?, tag: String?, flow: Bool) {
        let start = cursor.position(e.pointee.start_mark)
        if stack.count >= limits.maxDepth {
            let end = cursor.position(e.pointee.end_mark)
            fail(Diagnostic(NestingTooDeep(limit: limits.maxDepth),
                            at: SourceSpan(file: file.path, start: start.offset, end: max(start.offset, end.offset)), label: "too deep"))
            return
        }
        if let tag, !TagCheck.collectionTagOK(tag, sequence: isSequence) {
            let end = cursor.position(e.pointee.end_mark)
            let m = UnsupportedTag(tag: TagCheck.shortName(tag), expected: tag.hasPrefix(TagCheck.prefix) ? (isSequence ? "a list" : "a mapping") : nil)
            diagnostics.append(Diagnostic(m, at: SourceSpan(file: file.path, start: start.offset, end: max(start.offset, end.offset))))
        }
        if let anchor {
            openAnchors.insert(anchor)
            frameAnchors.append(anchor)
        }
        stack.append(Frame(isSequence: isSequence, start: start, tag: intern(tag), hasAnchor: anchor != nil, flow: flow, childStart: children.count))
    }

    private mutating func close(_ e: UnsafeMutablePointer<yaml_event_t>) {
        guard let frame = stack.popLast() else { return }
        let first = frame.childStart
        var end: SourcePosition
        // A block collection ends where its last entry ends, not at the next token.
        if !frame.flow, children.count > first, let last = children.last {
            end = last.span.end
        } else {
            end = cursor.position(e.pointee.end_mark)
        }
        if end.offset < frame.start.offset { end = frame.start }
        if !frame.isSequence {
            if (children.count - first) % 2 == 1, let k = children.last {
                // A key with no value cannot come from libyaml, but stay total.
                children.append(nullScalar(k.span))
            }
            checkDuplicateKeys(from: first)
        }
        let base = records.count
        let count = children.count - first
        // Records are plain data: one block copy.
        children.withUnsafeBufferPointer { c in records.append(contentsOf: UnsafeBufferPointer(rebasing: c[first...])) }
        children.removeLast(count)
        let node = Record(span: NodeSpan(start: frame.start, end: end), first: base, count: count, payload: 0, tag: frame.tag,
                          kind: frame.isSequence ? .sequence : .mapping, valueKind: .null, style: .plain, isFlow: frame.flow)
        let anchor = frame.hasAnchor ? frameAnchors.popLast() : nil
        if let anchor { openAnchors.remove(anchor) }
        attach(node, size: frame.size, anchor: anchor, mergeKey: false)
    }

    /// Adds a finished node to the open collection (or makes it the root). `mergeKey`: the
    /// node is a plain, untagged `<<`, which is reported when it is a mapping key.
    @inline(__always)
    private mutating func attach(_ node: Record, size: Int, anchor: String?, mergeKey: Bool) {
        if let anchor { anchors[anchor] = (node, size) }
        let top = stack.count - 1
        guard top >= 0 else {
            rootRecord = node
            return
        }
        stack[top].size += size
        if mergeKey && !stack[top].isSequence && (children.count - stack[top].childStart) % 2 == 0 {
            diagnostics.append(Diagnostic(MergeKeyUnsupported(), at: node.span.in(file.sourcePath), label: "merge key"))
        }
        children.append(node)
    }

    /// An empty plain scalar (for unknown aliases).
    private func nullScalar(_ span: NodeSpan) -> Record {
        Record(span: span, first: text.count, count: 0, payload: 0, tag: -1,
                      kind: .scalar, valueKind: .null, style: .plain, isFlow: false)
    }

    /// Reports each key (of the mapping whose keys and values start at `first` on
    /// ``children``) equal to an earlier one. Small mappings compare pairwise; large ones hash.
    private mutating func checkDuplicateKeys(from first: Int) {
        let n = (children.count - first) / 2
        if n < 2 { return }
        if n <= 16 {
            // Pairwise, at most 120 comparisons; most are decided by the keys' prefixes.
            var found: [(key: Record, first: Record)] = []
            children.withUnsafeBufferPointer { c in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { prefix in
                    for i in 0..<n { prefix[i] = asciiPrefix(c[first + 2 * i]) }
                    for i in 1..<n {
                        let k = c[first + 2 * i]
                        guard k.kind == .scalar else { continue }
                        for j in 0..<i {
                            // Two string keys whose ASCII prefixes differ are different.
                            if prefix[i] != prefix[j] && prefix[i] & prefix[j] & Self.prefixFlag != 0 { continue }
                            let other = c[first + 2 * j]
                            if other.kind == .scalar, sameValue(k, other) {
                                found.append((k, other))
                                break
                            }
                        }
                    }
                }
            }
            for (k, other) in found {
                diagnostics.append(DuplicateKeys.diagnostic(key: string(k), at: k.span, first: other.span, file: file.path))
            }
            return
        }
        var seen: [ScalarValue: Int] = [:]
        seen.reserveCapacity(n)
        for i in 0..<n {
            let k = children[first + 2 * i]
            guard k.kind == .scalar else { continue }
            let value = YAMLTree.value(k, text: string(k))
            if let j = seen[value] {
                diagnostics.append(DuplicateKeys.diagnostic(key: string(k), at: k.span, first: children[first + 2 * j].span, file: file.path))
            } else {
                seen[value] = i
            }
        }
    }

    private static let prefixFlag: UInt64 = 1 << 63

    /// For a string scalar whose first seven bytes (or all, if fewer) are ASCII: those bytes
    /// and ``prefixFlag``; otherwise 0. When two such prefixes differ, the strings differ at
    /// an ASCII character after equal ASCII characters, so they are different strings even
    /// under canonical equivalence (ASCII characters are starters and never recombine).
    private func asciiPrefix(_ r: Record) -> UInt64 {
        guard r.kind == .scalar && r.valueKind == .string else { return 0 }
        let b = text.bytes(r.first, min(r.count, 7))
        var p = Self.prefixFlag
        for i in 0..<b.count {
            if b[i] >= 0x80 { return 0 }
            p |= UInt64(b[i]) << (8 * UInt64(i))
        }
        return p
    }

    /// Whether two scalars have equal resolved values (as ``ScalarValue``'s `==`: `0x10`
    /// equals `16`, NaN equals nothing, strings compare as Swift strings).
    private func sameValue(_ a: Record, _ b: Record) -> Bool {
        guard a.valueKind == b.valueKind else { return false }
        switch a.valueKind {
        case .null: return true
        case .bool, .int: return a.payload == b.payload
        case .float: return Double(bitPattern: a.payload) == Double(bitPattern: b.payload)
        case .string:
            return YAMLTree.sameText(text.bytes(a.first, a.count), text.bytes(b.first, b.count))
        }
    }

    /// A resolved value as a record stores it; a string value is the scalar's text.
    private static func encode(_ v: ScalarValue) -> (YAMLTree.ValueKind, UInt64) {
        switch v {
        case .null: (.null, 0)
        case .bool(let b): (.bool, b ? 1 : 0)
        case .int(let i): (.int, UInt64(bitPattern: Int64(i)))
        case .float(let d): (.float, d.bitPattern)
        case .string: (.string, 0)
        }
    }

    /// The index of `tag` in ``tags`` (-1 for none). Tags are rare: a linear search is enough.
    private mutating func intern(_ tag: String?) -> Int {
        guard let tag else { return -1 }
        if let i = tags.firstIndex(of: tag) { return i }
        tags.append(tag)
        return tags.count - 1
    }

    @inline(__always)
    private mutating func span(_ e: UnsafeMutablePointer<yaml_event_t>) -> NodeSpan {
        let s = cursor.position(e.pointee.start_mark)
        let end = cursor.position(e.pointee.end_mark)
        return NodeSpan(start: s, end: end.offset >= s.offset ? end : s)
    }

    /// The text of scalar record `r`.
    private func string(_ r: Record) -> String {
        String(decoding: text.bytes(r.first, r.count), as: UTF8.self)
    }

    private func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }

    private mutating func resolve(_ text: String, tag: String?, style: ScalarStyle, span: NodeSpan) -> ScalarValue {
        if let tag {
            switch TagCheck.resolveScalar(text, tag: tag) {
            case .value(let v):
                return v
            case .mismatch(let expected):
                diagnostics.append(Diagnostic(UnsupportedTag(tag: TagCheck.shortName(tag), expected: expected), at: span.in(file.sourcePath)))
            case .unsupported:
                diagnostics.append(Diagnostic(UnsupportedTag(tag: TagCheck.shortName(tag), expected: nil), at: span.in(file.sourcePath)))
            case .outOfRange:
                diagnostics.append(Diagnostic(IntegerOutOfRange(), at: span.in(file.sourcePath)))
            }
            return .string(text)
        }
        guard style == .plain else { return .string(text) }
        switch ScalarResolver.resolvePlain(text) {
        case .value(let v):
            return v
        case .intOutOfRange:
            diagnostics.append(Diagnostic(IntegerOutOfRange(), at: span.in(file.sourcePath)))
            return .string(text)
        }
    }
}

extension PositionCursor {
    @inline(__always)
    mutating func position(_ m: yaml_mark_t) -> SourcePosition {
        position(m.index, line: m.line, column: m.column)
    }
}

/// The builder's growing copy of the scalar texts. Appending is one bounds-checked copy,
/// without an array's uniqueness and capacity bookkeeping on every scalar.
final class TextBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let n = bytes.count
        if count + n > capacity { grow(to: count + n) }
        (base + count).initialize(from: source, count: n)
        count += n
    }

    /// Rare (the buffer starts at the file's size): kept out of line.
    @inline(never)
    private func grow(to needed: Int) {
        let bigger = max(capacity * 2, needed)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = bigger
    }

    /// The bytes `start..<start + length`, which must have been appended. Valid until the
    /// next ``append(_:)``.
    func bytes(_ start: Int, _ length: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(start >= 0 && length >= 0 && start <= count - length, "text range out of bounds")
        return UnsafeBufferPointer(start: base + start, count: length)
    }

    /// A copy of everything appended.
    func array() -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
