internal import CYAML

/// A pull parser over libyaml's event API. The C types stay inside this module.
///
/// The parser copies its input, so the caller's buffer need not outlive it.
public final class YAMLEventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var finished = false
    private var failed = false

    /// Starts parsing `bytes`, which must be UTF-8 (a UTF-8 BOM is allowed).
    public init(bytes: [UInt8]) {
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        yaml_parser_initialize(parser)
        if let base = input.baseAddress {
            yaml_parser_set_input_string(parser, base, bytes.count)
        }
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event, or nil after the stream ends.
    public func next() throws(YAMLParseError) -> YAMLEvent? {
        if finished { return nil }
        if failed { throw YAMLParseError(stage: .other, problem: "the parser already failed") }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            failed = true
            throw currentError()
        }
        defer { yaml_event_delete(&event) }
        let start = mark(event.start_mark)
        let end = mark(event.end_mark)
        let kind: YAMLEvent.Kind
        switch event.type {
        case YAML_STREAM_START_EVENT:
            kind = .streamStart
        case YAML_STREAM_END_EVENT:
            finished = true
            kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            kind = .documentStart(implicit: event.data.document_start.implicit != 0)
        case YAML_DOCUMENT_END_EVENT:
            kind = .documentEnd(implicit: event.data.document_end.implicit != 0)
        case YAML_ALIAS_EVENT:
            kind = .alias(anchor: string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value: String
            if let p = s.value {
                value = String(decoding: UnsafeBufferPointer(start: p, count: s.length), as: UTF8.self)
            } else {
                value = ""
            }
            kind = .scalar(
                value: value, anchor: string(s.anchor), tag: string(s.tag), style: style(s.style),
                plainImplicit: s.plain_implicit != 0, quotedImplicit: s.quoted_implicit != 0)
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            kind = .sequenceStart(anchor: string(s.anchor), tag: string(s.tag), implicit: s.implicit != 0,
                                  flow: s.style == YAML_FLOW_SEQUENCE_STYLE)
        case YAML_SEQUENCE_END_EVENT:
            kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let s = event.data.mapping_start
            kind = .mappingStart(anchor: string(s.anchor), tag: string(s.tag), implicit: s.implicit != 0,
                                 flow: s.style == YAML_FLOW_MAPPING_STYLE)
        case YAML_MAPPING_END_EVENT:
            kind = .mappingEnd
        default:
            failed = true
            throw YAMLParseError(stage: .other, problem: "libyaml returned an unknown event", problemMark: start)
        }
        return YAMLEvent(kind: kind, start: start, end: end)
    }

    /// Hands the next raw libyaml event to `body` without building a ``YAMLEvent``; the
    /// loader's fast path. Returns nil after the stream ends.
    func withNextRawEvent<R>(_ body: (UnsafeMutablePointer<yaml_event_t>) -> R) throws(YAMLParseError) -> R? {
        if finished { return nil }
        if failed { throw YAMLParseError(stage: .other, problem: "the parser already failed") }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            failed = true
            throw currentError()
        }
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { finished = true }
        return body(&event)
    }

    private func currentError() -> YAMLParseError {
        let p = parser.pointee
        let stage: YAMLParseError.Stage
        switch p.error {
        case YAML_READER_ERROR: stage = .reader
        case YAML_SCANNER_ERROR: stage = .scanner
        case YAML_PARSER_ERROR: stage = .parser
        case YAML_MEMORY_ERROR: stage = .memory
        default: stage = .other
        }
        let problem = p.problem.map { String(cString: $0) } ?? "unknown error"
        let context = p.context.map { String(cString: $0) }
        if stage == .reader {
            return YAMLParseError(stage: stage, problem: problem, problemOffset: p.problem_offset,
                                  problemValue: Int(p.problem_value))
        }
        return YAMLParseError(
            stage: stage, problem: problem, problemMark: mark(p.problem_mark),
            context: context, contextMark: context == nil ? nil : mark(p.context_mark))
    }

    func mark(_ m: yaml_mark_t) -> YAMLMark {
        YAMLMark(index: m.index, line: m.line, column: m.column)
    }

    private func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }

    private func style(_ s: yaml_scalar_style_t) -> ScalarStyle {
        switch s {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}

/// Runs libyaml over `bytes` and discards the events: the baseline the benchmarks compare
/// against. Returns the number of events, or -1 on a parse error.
public func bareLibyamlScan(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { return -1 }
    defer { yaml_parser_delete(&parser) }
    yaml_parser_set_input_string(&parser, base, bytes.count)
    var count = 0
    var event = yaml_event_t()
    while true {
        guard yaml_parser_parse(&parser, &event) == 1 else { return -1 }
        let done = event.type == YAML_STREAM_END_EVENT
        yaml_event_delete(&event)
        count += 1
        if done { return count }
    }
}
