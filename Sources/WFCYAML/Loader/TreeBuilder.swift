internal import CYAML
import WFCDiagnostics

/// The event-driven builder. It reads libyaml's events in place (no intermediate Swift
/// event), keeps an explicit stack so deep input cannot overflow the call stack, and checks
/// duplicate keys when a mapping closes.
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
        /// Where this collection's children start on ``children``.
        var childStart: Int
        /// Nodes in this subtree, counting alias expansions, for the alias budget.
        var size = 1
    }

    private var stack: [Frame] = []
    /// Children of every open collection, innermost last (keys and values alternate for
    /// mappings). Each collection is copied out once, at its exact size, when it closes.
    private var children = NodeScratch()
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var openAnchors: Set<String> = []
    private var aliasNodes = 0
    private var documents = 0
    private var stop = false

    init(file: SourceFile, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
        self.cursor = PositionCursor(file: file)
        stack.reserveCapacity(16)
    }

    mutating func run() {
        let parser = YAMLEventParser(bytes: file.bytes)
        while !stop {
            do {
                guard try parser.withNextRawEvent({ handle($0) }) != nil else { break }
            } catch {
                diagnostics.append(SyntaxErrors.diagnostic(error, file: file) { cursor.byteOffset($0.index) })
                root = nil
                return
            }
        }
        if stop { return }
        if documents == 0 {
            diagnostics.append(Diagnostic(EmptyDocument(), at: .point(file.path, 0)))
        } else if let r = root, case .scalar(let s) = r.content, s.value == .null, s.style == .plain, s.text.isEmpty, r.tag == nil {
            diagnostics.append(Diagnostic(EmptyDocument(), at: r.span.in(file.path)))
            root = nil
        }
    }

    private mutating func fail(_ d: Diagnostic) {
        diagnostics.append(d)
        root = nil
        stop = true
    }

    private mutating func handle(_ e: UnsafeMutablePointer<yaml_event_t>) {
        switch e.pointee.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                let span = span(e)
                fail(Diagnostic(MultipleDocuments(), at: span.in(file.path), label: "a second document starts here"))
            }
        case YAML_ALIAS_EVENT:
            let anchor = string(e.pointee.data.alias.anchor) ?? ""
            let span = span(e)
            guard let target = anchors[anchor] else {
                let recursive = openAnchors.contains(anchor)
                diagnostics.append(Diagnostic(
                    UnknownAnchor(anchor: anchor, recursive: recursive), at: span.in(file.path),
                    label: recursive ? "recursive alias" : "unknown anchor"))
                attach(YAMLNode(content: .scalar(YAMLScalar(text: "", style: .plain, value: .null)), span: span), size: 1, anchor: nil)
                return
            }
            aliasNodes += target.size
            if aliasNodes > limits.maxAliasNodes {
                fail(Diagnostic(AliasBudgetExceeded(limit: limits.maxAliasNodes), at: span.in(file.path), label: "this alias exceeds the budget"))
                return
            }
            var node = target.node
            node.span = span
            attach(node, size: target.size, anchor: nil)
        case YAML_SCALAR_EVENT:
            let s = e.pointee.data.scalar
            let text: String
            if let p = s.value, s.length > 0 {
                text = String(decoding: UnsafeBufferPointer(start: p, count: s.length), as: UTF8.self)
            } else {
                text = ""
            }
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let tag = string(s.tag)
            let span = span(e)
            let value = resolve(text, tag: tag, style: style, span: span)
            attach(YAMLNode(content: .scalar(YAMLScalar(text: text, style: style, value: value)), span: span, tag: tag),
                   size: 1, anchor: string(s.anchor))
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
        if let anchor { openAnchors.insert(anchor) }
        stack.append(Frame(isSequence: isSequence, start: start, tag: tag, anchor: anchor, flow: flow, childStart: children.count))
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
        let content: YAMLNode.Content
        if frame.isSequence {
            content = .sequence(children.popSequence(from: first))
        } else {
            if (children.count - first) % 2 == 1, let k = children.last {
                // A key with no value cannot come from libyaml, but stay total.
                children.push(YAMLNode(content: .scalar(YAMLScalar(text: "", style: .plain, value: .null)), span: k.span))
            }
            let pairs = children.popPairs(from: first)
            checkDuplicateKeys(pairs)
            content = .mapping(pairs)
        }
        let node = YAMLNode(content: content, span: NodeSpan(start: frame.start, end: end), tag: frame.tag, isFlow: frame.flow)
        if let a = frame.anchor { openAnchors.remove(a) }
        attach(node, size: frame.size, anchor: frame.anchor)
    }

    private mutating func attach(_ node: YAMLNode, size: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, size) }
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        stack[top].size += size
        if !stack[top].isSequence && (children.count - stack[top].childStart) % 2 == 0,
           case .scalar(let s) = node.content, s.style == .plain, node.tag == nil, s.text == "<<" {
            diagnostics.append(Diagnostic(MergeKeyUnsupported(), at: node.span.in(file.path), label: "merge key"))
        }
        children.push(node)
    }

    /// Reports each key equal to an earlier one. Small mappings compare pairwise; large ones hash.
    private mutating func checkDuplicateKeys(_ pairs: [YAMLPair]) {
        if pairs.count <= 16 {
            for i in 1..<max(pairs.count, 1) {
                guard case .scalar(let k) = pairs[i].key.content else { continue }
                for j in 0..<i {
                    if case .scalar(let other) = pairs[j].key.content, other.value == k.value {
                        diagnostics.append(DuplicateKeys.diagnostic(key: pairs[i].key, first: pairs[j].key.span, file: file.path))
                        break
                    }
                }
            }
            return
        }
        var first: [ScalarValue: Int] = [:]
        first.reserveCapacity(pairs.count)
        for (i, p) in pairs.enumerated() {
            guard case .scalar(let k) = p.key.content else { continue }
            if let j = first[k.value] {
                diagnostics.append(DuplicateKeys.diagnostic(key: p.key, first: pairs[j].key.span, file: file.path))
            } else {
                first[k.value] = i
            }
        }
    }

    private mutating func span(_ e: UnsafeMutablePointer<yaml_event_t>) -> NodeSpan {
        let s = cursor.position(e.pointee.start_mark)
        let end = cursor.position(e.pointee.end_mark)
        return NodeSpan(start: s, end: end.offset >= s.offset ? end : s)
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

extension PositionCursor {
    mutating func position(_ m: yaml_mark_t) -> SourcePosition {
        position(m.index, line: m.line, column: m.column)
    }
}
