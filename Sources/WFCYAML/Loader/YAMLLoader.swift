import WFCDiagnostics

/// The result of loading one file: the root node when the file could be read, and every
/// problem found. A root may be present together with errors (e.g. duplicate keys).
public struct YAMLLoadResult: Sendable {
    public var file: SourceFile
    public var root: YAMLNode?
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Builds node trees with exact spans from libyaml's events, and enforces the loader's
/// checks: duplicate keys, aliases under a budget, no merge keys, depth and size limits,
/// UTF-8 only, exactly one document.
public struct YAMLLoader: Sendable {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = YAMLLimits()) {
        self.limits = limits
    }

    /// Every descriptor of the loader's diagnostics.
    public static let diagnostics: [DiagnosticDescriptor] = [
        YAMLSyntaxError.descriptor, InvalidUTF8.descriptor, DuplicateKey.descriptor,
        UnknownAnchor.descriptor, AliasBudgetExceeded.descriptor, MergeKeyUnsupported.descriptor,
        NestingTooDeep.descriptor, FileTooLarge.descriptor, MultipleDocuments.descriptor,
        EmptyDocument.descriptor, UnsupportedTag.descriptor, UnsupportedEncoding.descriptor,
        IntegerOutOfRange.descriptor, InvalidCharacter.descriptor,
    ]

    /// Loads `file`. Never traps: every problem becomes a diagnostic.
    public func load(_ file: SourceFile) -> YAMLLoadResult {
        if file.bytes.count > limits.maxFileBytes {
            let d = Diagnostic(FileTooLarge(size: file.bytes.count, limit: limits.maxFileBytes),
                               at: .point(file.path, 0))
            return YAMLLoadResult(file: file, root: nil, diagnostics: [d])
        }
        if let d = EncodingCheck.check(file) {
            return YAMLLoadResult(file: file, root: nil, diagnostics: [d])
        }
        var builder = TreeBuilder(file: file, limits: limits)
        builder.run()
        return YAMLLoadResult(file: file, root: builder.root, diagnostics: builder.diagnostics)
    }

    /// Loads text given in memory, e.g. from standard input.
    public func load(path: String, text: String) -> YAMLLoadResult {
        load(SourceFile(path: path, text: text))
    }
}

/// The event-driven builder. It keeps an explicit stack, so deep input cannot overflow the
/// call stack.
struct TreeBuilder {
    let file: SourceFile
    let limits: YAMLLimits
    var cursor: PositionCursor
    var diagnostics: [Diagnostic] = []
    var root: YAMLNode?

    private struct Frame {
        var isSequence: Bool
        var start: SourcePosition
        var tag: String?
        var anchor: String?
        var flow: Bool
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        var keys = DuplicateKeyTracker()
        /// Nodes in this subtree, counting alias expansions, for the alias budget.
        var size = 1
    }

    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var openAnchors: Set<String> = []
    private var aliasNodes = 0
    private var documents = 0

    init(file: SourceFile, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
        self.cursor = PositionCursor(file: file)
    }

    mutating func run() {
        let parser = YAMLEventParser(bytes: file.bytes)
        while true {
            let event: YAMLEvent?
            do {
                event = try parser.next()
            } catch {
                diagnostics.append(SyntaxErrors.diagnostic(error, file: file) { cursor.position($0.index).offset })
                root = nil
                return
            }
            guard let event else { break }
            if !handle(event) { return }
        }
        if documents == 0 {
            diagnostics.append(Diagnostic(EmptyDocument(), at: .point(file.path, 0)))
        } else if let r = root, case .scalar(let s) = r.content, s.value == .null, s.style == .plain, s.text.isEmpty, r.tag == nil {
            diagnostics.append(Diagnostic(EmptyDocument(), at: r.span.in(file.path)))
            root = nil
        }
    }

    /// Handles one event; false stops loading.
    private mutating func handle(_ event: YAMLEvent) -> Bool {
        switch event.kind {
        case .streamStart, .streamEnd, .documentEnd:
            return true
        case .documentStart:
            documents += 1
            if documents > 1 {
                let start = cursor.position(event.start.index)
                let end = cursor.position(event.end.index)
                diagnostics.append(Diagnostic(MultipleDocuments(), at: SourceSpan(file: file.path, start: start.offset, end: max(end.offset, start.offset)), label: "a second document starts here"))
                root = nil
                return false
            }
            return true
        case .alias(let anchor):
            let span = span(event)
            guard let target = anchors[anchor] else {
                diagnostics.append(Diagnostic(UnknownAnchor(anchor: anchor, recursive: openAnchors.contains(anchor)), at: span.in(file.path),
                                              label: openAnchors.contains(anchor) ? "recursive alias" : "unknown anchor"))
                return attach(YAMLNode(content: .scalar(YAMLScalar(text: "", style: .plain, value: .null)), span: span), size: 1, anchor: nil)
            }
            aliasNodes += target.size
            if aliasNodes > limits.maxAliasNodes {
                diagnostics.append(Diagnostic(AliasBudgetExceeded(limit: limits.maxAliasNodes), at: span.in(file.path), label: "this alias exceeds the budget"))
                root = nil
                return false
            }
            var node = target.node
            node.span = span
            return attach(node, size: target.size, anchor: nil)
        case .scalar(let value, let anchor, let tag, let style, _, _):
            let span = span(event)
            let resolved = resolve(value, tag: tag, style: style, span: span)
            let node = YAMLNode(content: .scalar(YAMLScalar(text: value, style: style, value: resolved)), span: span, tag: tag)
            return attach(node, size: 1, anchor: anchor)
        case .sequenceStart(let anchor, let tag, _, let flow), .mappingStart(let anchor, let tag, _, let flow):
            var isSequence = false
            if case .sequenceStart = event.kind { isSequence = true }
            let start = cursor.position(event.start.index)
            if stack.count >= limits.maxDepth {
                let end = cursor.position(event.end.index)
                diagnostics.append(Diagnostic(NestingTooDeep(limit: limits.maxDepth), at: SourceSpan(file: file.path, start: start.offset, end: max(start.offset, end.offset)), label: "too deep"))
                root = nil
                return false
            }
            if !TagCheck.collectionTagOK(tag, sequence: isSequence), let tag {
                let end = cursor.position(event.end.index)
                let m = UnsupportedTag(tag: TagCheck.shortName(tag), expected: tag.hasPrefix(TagCheck.prefix) ? (isSequence ? "a list" : "a mapping") : nil)
                diagnostics.append(Diagnostic(m, at: SourceSpan(file: file.path, start: start.offset, end: max(start.offset, end.offset))))
            }
            if let anchor { openAnchors.insert(anchor) }
            stack.append(Frame(isSequence: isSequence, start: start, tag: tag, anchor: anchor, flow: flow))
            return true
        case .sequenceEnd, .mappingEnd:
            guard var frame = stack.popLast() else { return true }
            var end = cursor.position(event.end.index)
            if !frame.flow {
                // A block collection ends where its last entry ends, not at the next token.
                if let last = frame.isSequence ? frame.items.last : frame.pairs.last?.value {
                    end = last.span.end
                }
            }
            if let k = frame.pendingKey {
                // A key with no value cannot reach here from libyaml, but stay total.
                frame.pairs.append(YAMLPair(key: k, value: YAMLNode(content: .scalar(YAMLScalar(text: "", style: .plain, value: .null)), span: k.span)))
            }
            let content: YAMLNode.Content = frame.isSequence ? .sequence(frame.items) : .mapping(frame.pairs)
            let node = YAMLNode(content: content, span: NodeSpan(start: frame.start, end: end), tag: frame.tag, isFlow: frame.flow)
            if let a = frame.anchor { openAnchors.remove(a) }
            return attach(node, size: frame.size, anchor: frame.anchor)
        }
    }

    private mutating func attach(_ node: YAMLNode, size: Int, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = (node, size) }
        guard !stack.isEmpty else {
            root = node
            return true
        }
        let top = stack.count - 1
        stack[top].size += size
        if stack[top].isSequence {
            stack[top].items.append(node)
            return true
        }
        guard let key = stack[top].pendingKey else {
            if let s = node.scalar, s.style == .plain, s.text == "<<", node.tag == nil {
                diagnostics.append(Diagnostic(MergeKeyUnsupported(), at: node.span.in(file.path), label: "merge key"))
            }
            stack[top].pendingKey = node
            return true
        }
        stack[top].pendingKey = nil
        if let s = key.scalar, let first = stack[top].keys.insert(s.value, key.span) {
            diagnostics.append(DuplicateKeyTracker.diagnostic(key: key, first: first, file: file.path))
        }
        stack[top].pairs.append(YAMLPair(key: key, value: node))
        return true
    }

    private mutating func span(_ event: YAMLEvent) -> NodeSpan {
        let s = cursor.position(event.start.index)
        let e = cursor.position(event.end.index)
        return NodeSpan(start: s, end: e.offset >= s.offset ? e : s)
    }

    private mutating func resolve(_ text: String, tag: String?, style: ScalarStyle, span: NodeSpan) -> ScalarValue {
        if let tag {
            switch TagCheck.resolveScalar(text, tag: tag) {
            case .value(let v):
                return v
            case .mismatch(let expected):
                diagnostics.append(Diagnostic(UnsupportedTag(tag: TagCheck.shortName(tag), expected: expected), at: span.in(file.path)))
            case .unsupported:
                diagnostics.append(Diagnostic(UnsupportedTag(tag: TagCheck.shortName(tag), expected: nil), at: span.in(file.path)))
            case .outOfRange:
                diagnostics.append(Diagnostic(IntegerOutOfRange(), at: span.in(file.path)))
            }
            return .string(text)
        }
        guard style == .plain else { return .string(text) }
        switch ScalarResolver.resolvePlain(text) {
        case .value(let v):
            return v
        case .intOutOfRange:
            diagnostics.append(Diagnostic(IntegerOutOfRange(), at: span.in(file.path)))
            return .string(text)
        }
    }
}
