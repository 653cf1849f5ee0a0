import WFCIR
import WFCDiagnostics
import WFCYAML

/// One key of the workflow language, written as a string literal: its packed code is worked
/// out from the literal's bytes, without making a `String`.
struct Key: ExpressibleByStringLiteral, Sendable {
    let name: StaticString
    let code: YAMLKeyCode

    @inline(__always)
    init(stringLiteral name: StaticString) {
        self.name = name
        // The language's own keys; a longer one is a mistake in wfc, not in the input.
        guard let code = name.withUTF8Buffer({ YAMLKeyCode(utf8: $0) }) else {
            preconditionFailure("key `\(name)` is longer than \(YAMLKeyCode.maxBytes) bytes")
        }
        self.code = code
    }

    var text: String { name.description }
}

/// The keys a mapping accepts, with their codes worked out once. Key sets are `static let`s
/// that live as long as the process: a set is a handle to tables made once and never freed, so
/// that copying or passing one costs no reference counting. (A class reference, even a
/// `static let` held `unowned(unsafe)`, is retained and released around each use, and every
/// thread would do that to the same few objects: their counts' cache lines went back and forth
/// between the cores for every key looked up.)
struct KeySet: ExpressibleByArrayLiteral, Sendable {
    /// The most keys a set can hold: readers keep an inline table of this size.
    static let capacity = 24
    /// Retained once and never released (see above).
    private let tables: Unmanaged<Tables>

    init(arrayLiteral keys: Key...) {
        tables = .passRetained(Tables(keys))
    }

    var keys: [Key] { tables._withUnsafeGuaranteedRef { $0.keys } }

    /// The keys' names, for messages and suggestions.
    var names: [String] { keys.map(\.text) }

    /// Whether `name` is one of the keys.
    func contains(_ name: String) -> Bool { YAMLKeyCode(name).map { index(of: $0) != nil } ?? false }

    func index(of code: YAMLKeyCode) -> Int? {
        tables._withUnsafeGuaranteedRef { $0.index(of: code) }
    }

    private final class Tables: Sendable {
        let keys: [Key]
        private let codes: InlineArray<24, YAMLKeyCode>
        /// A perfect hash table: slot `(mixed × multiplier) >> 58` holds a key's index, or -1.
        /// Keys are looked up for every entry and every read of a mapping.
        private let slots: InlineArray<64, Int8>
        private let multiplier: UInt64

        init(_ keys: [Key]) {
            precondition(keys.count <= KeySet.capacity, "a key set holds at most \(KeySet.capacity) keys")
            self.keys = keys
            // Unused slots hold a copy of the first code: `index(of:)` only searches `keys.count`.
            var codes = InlineArray<24, YAMLKeyCode>(repeating: (keys.first ?? "_").code)
            for i in keys.indices { codes[i] = keys[i].code }
            self.codes = codes
            // Odd multipliers from a fixed sequence until every key has a slot of its own (a few
            // tries for at most 24 keys in 64 slots).
            var m: UInt64 = 0x9E37_79B9_7F4A_7C15
            for _ in 0..<100_000 {
                var slots = InlineArray<64, Int8>(repeating: -1)
                var clash = false
                for i in keys.indices {
                    let h = Int(truncatingIfNeeded: (keys[i].code.mixed &* m) >> 58)
                    if slots[h] >= 0 { clash = true; break }
                    slots[h] = Int8(i)
                }
                if !clash {
                    self.slots = slots
                    self.multiplier = m
                    return
                }
                m = (m &* 0xBF58_476D_1CE4_E5B9 &+ 0x94D0_49BB_1331_11EB) | 1
            }
            // Not reached for the language's key sets; `index(of:)` then searches every key.
            slots = InlineArray(repeating: -1)
            multiplier = 0
        }

        func index(of code: YAMLKeyCode) -> Int? {
            if multiplier == 0 {
                for i in 0..<keys.count where codes[i] == code { return i }
                return nil
            }
            let i = Int(slots[Int(truncatingIfNeeded: (code.mixed &* multiplier) >> 58)])
            return i >= 0 && codes[i] == code ? i : nil
        }
    }
}

/// What a mapping is, for messages: "state `review`", "the workflow". Kept as its parts so
/// that no text is made unless a message needs it.
struct MappingContext: Sendable, ExpressibleByStringLiteral {
    let kind: StaticString
    let name: String?

    init(_ kind: StaticString, _ name: String) {
        self.kind = kind
        self.name = name
    }

    init(stringLiteral kind: StaticString) {
        self.kind = kind
        name = nil
    }

    var text: String { name.map { "\(kind) `\($0)`" } ?? kind.description }
}

/// Reads one YAML mapping against a set of known keys, reporting unknown keys (with a
/// did-you-mean), wrong value types and missing required keys. Every problem is collected.
struct MappingReader {
    /// Where the mapping was written.
    let span: NodeSpan
    let file: SourcePath
    let contextParts: MappingContext
    /// What the mapping is, for messages.
    var context: String { contextParts.text }
    private let entries: YAMLMapping
    /// A handle without reference counting (see ``KeySet``).
    private let known: KeySet
    /// For each known key, the index of its first entry, or -1: inline, so that reading a
    /// mapping allocates nothing.
    private var found = InlineArray<24, Int32>(repeating: -1)

    /// Reads `node`; reports it when it is not a mapping and returns nil.
    init?(_ node: YAMLNode, file: SourcePath, context: MappingContext, known: KeySet, diagnostics: inout [Diagnostic]) {
        self.span = node.span
        self.file = file
        self.contextParts = context
        self.known = known
        guard let entries = node.mapping else {
            diagnostics.append(Diagnostic(WrongType(what: context.text, expected: "a mapping", found: node.kindDescription),
                                          at: node.span.in(file), label: "expected a mapping"))
            return nil
        }
        self.entries = entries
        for i in entries.indices {
            // Keys are read from the tree's records; a node is made only for a message.
            guard entries.keyIsScalar(at: i) else {
                let keyNode = entries.key(at: i)
                diagnostics.append(Diagnostic(WrongType(what: "a key in \(context.text)", expected: "a string", found: keyNode.kindDescription),
                                              at: keyNode.span.in(file)))
                continue
            }
            guard let code = entries.keyCode(at: i), let k = known.index(of: code) else {
                let keyNode = entries.key(at: i)
                let key = keyNode.scalar?.text ?? ""
                let names = known.names
                let suggestion = Suggestions.closest(to: key, among: names)
                var fix: [FixIt] = []
                if let s = suggestion { fix = [FixIt("rename the key", replacing: keyNode.span.in(file), with: s)] }
                diagnostics.append(Diagnostic(
                    UnknownKey(key: key, context: context.text), at: keyNode.span.in(file), label: "unknown key",
                    help: suggestion.map { "did you mean `\($0)`?" } ?? "the keys of \(context.text) are: \(names.joined(separator: ", "))",
                    fixIts: fix))
                continue
            }
            if found[k] < 0 { found[k] = Int32(truncatingIfNeeded: i) }
        }
    }

    private func entry(_ key: Key) -> Int? {
        guard let k = known.index(of: key.code) else { return nil }
        let e = found[k]
        return e < 0 ? nil : Int(e)
    }
    func has(_ key: Key) -> Bool { entry(key) != nil }
    func value(_ key: Key) -> YAMLNode? { entry(key).map { entries.value(at: $0) } }
    func keySpan(_ key: Key) -> SourceSpan? { entry(key).map { entries.key(at: $0).span.in(file) } }

    func string(_ key: Key, required: Bool = false, _ d: inout [Diagnostic]) -> Spanned<String>? {
        guard let e = entry(key) else {
            if required { missing(key, &d) }
            return nil
        }
        // Text read straight from the tree; a node is made only for a message.
        if let t = entries.valueText(at: e) { return Spanned(t.text, SourceSpan(path: file, start: t.start, end: t.end)) }
        let v = entries.value(at: e)
        // Locals, so that the message closure captures these, not a copy of the reader.
        let context = contextParts, file = self.file
        return Self.string(v, what: "`\(key.text)` in \(context.text)", file: file, &d)
    }

    /// `what` names the value in messages; it is only built when one is reported.
    static func string(_ v: YAMLNode, what: @autoclosure () -> String, file: SourcePath, _ d: inout [Diagnostic]) -> Spanned<String>? {
        // A plain scalar such as `8` or `1.2` used as a clause or a title is still text.
        if let text = v.textValue { return Spanned(text, v.span.in(file)) }
        guard let s = v.scalar else {
            d.append(Diagnostic(WrongType(what: what(), expected: "a string", found: v.kindDescription), at: v.span.in(file), label: "expected a string"))
            return nil
        }
        switch s.value {
        case .string(let t): return Spanned(t, v.span.in(file))
        case .int, .float:
            // A plain scalar such as `8` or `1.2` used as a clause or a title is still text.
            return Spanned(s.text, v.span.in(file))
        case .bool:
            d.append(Diagnostic(WrongType(what: what(), expected: "a string", found: "true/false"), at: v.span.in(file),
                                label: "expected a string", help: "put it in quotes if it is text"))
            return nil
        case .null:
            d.append(Diagnostic(WrongType(what: what(), expected: "a string", found: "nothing"), at: v.span.in(file), label: "expected a string"))
            return nil
        }
    }

    func int(_ key: Key, required: Bool = false, _ d: inout [Diagnostic]) -> Spanned<Int>? {
        guard let v = value(key) else {
            if required { missing(key, &d) }
            return nil
        }
        guard case .int(let n)? = v.scalar?.value else {
            d.append(Diagnostic(WrongType(what: "`\(key.text)` in \(context)", expected: "a whole number", found: v.kindDescription),
                                at: v.span.in(file), label: "expected a whole number"))
            return nil
        }
        return Spanned(n, v.span.in(file))
    }

    func bool(_ key: Key, _ d: inout [Diagnostic]) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b)? = v.scalar?.value else {
            d.append(Diagnostic(WrongType(what: "`\(key.text)` in \(context)", expected: "true or false", found: v.kindDescription),
                                at: v.span.in(file), label: "expected true or false"))
            return nil
        }
        return b
    }

    /// A string or a list of strings (`by: manager` and `by: [manager, hr]`).
    func stringList(_ key: Key, _ d: inout [Diagnostic]) -> [Spanned<String>]? {
        guard let v = value(key) else { return nil }
        let context = contextParts, file = self.file
        return Self.stringList(v, what: "`\(key.text)` in \(context.text)", file: file, &d)
    }

    static func stringList(_ v: YAMLNode, what: @autoclosure () -> String, file: SourcePath, _ d: inout [Diagnostic]) -> [Spanned<String>] {
        if let items = v.sequence {
            return items.compactMap { string($0, what: "an entry of \(what())", file: file, &d) }
        }
        return string(v, what: what(), file: file, &d).map { [$0] } ?? []
    }

    func missing(_ key: Key, _ d: inout [Diagnostic]) {
        let span = entries.first?.key.span.in(file) ?? self.span.in(file)
        d.append(Diagnostic(MissingKey(key: key.text, context: context), at: span, label: "`\(key.text)` is missing here"))
    }

    /// Reports that two keys cannot be used together.
    func conflict(_ a: Key, _ b: Key, _ d: inout [Diagnostic], reason: String? = nil) {
        guard let sa = keySpan(a), let sb = keySpan(b) else { return }
        let (first, second) = sa.start < sb.start ? ((a, sa), (b, sb)) : ((b, sb), (a, sa))
        d.append(Diagnostic(
            ConflictingKeys(a: first.0.text, b: second.0.text, context: context), at: second.1, label: "conflicts with `\(first.0.text)`",
            secondary: [Label(first.1, "`\(first.0.text)` is here")], notes: reason.map { [$0] } ?? []))
    }
}

struct UnknownKey: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2001", name: "unknown-key", summary: "A key is not part of the workflow language here.",
        explanation: """
            Each part of a workflow file accepts a fixed set of keys (see docs/language.md). An \
            unknown key is usually a typo; wfc suggests the closest known key. Keys are English; \
            write Chinese text in `title:` values.
            """,
        example: "states:\n  review:\n    titel: 交接审核\n",
        fix: "states:\n  review:\n    title: 交接审核\n")
    var key: String
    var context: String
    var message: String { "unknown key `\(key)` in \(context)" }
}

struct WrongType: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2002", name: "wrong-type", summary: "A value has the wrong YAML type.",
        explanation: """
            The key expects a different kind of value: a string, a number, true/false, a list or \
            a mapping. The message says which one was expected and what was found.
            """,
        example: "version: one\nroles: [handover, receiver]\n",
        fix: "version: 1\nroles:\n  handover: {title: 交接人}\n  receiver: {title: 接交人}\n")
    var what: String
    var expected: String
    var found: String
    var message: String { "\(what) must be \(expected), not \(found)" }
}

struct MissingKey: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2003", name: "missing-key", summary: "A required key is missing.",
        explanation: "Some keys are required: a workflow needs `workflow`, `version`, `title`, `roles`, `start` and `states`; a transition needs `to`; a parallel branch needs `start` and `states`.",
        example: "workflow: company-handover\ntitle: 工作交接管理制度\nstates:\n  apply: {on: {submit: {by: handover, to: done}}}\n  done: {final: completed}\n",
        fix: "workflow: company-handover\nversion: 1\ntitle: 工作交接管理制度\nroles: {handover: {title: 交接人}}\nstart: apply\nstates:\n  apply: {on: {submit: {by: handover, to: done}}}\n  done: {final: completed}\n")
    var key: String
    var context: String
    var message: String { "\(context) is missing the required key `\(key)`" }
}

struct ConflictingKeys: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2004", name: "conflicting-keys", summary: "Two keys cannot be used together.",
        explanation: """
            A state has exactly one kind: a task (with `on:`), `final`, `choice`, `signoff`, \
            `parallel`, `foreach` or `wait`. Keys that belong to different kinds, or that say the \
            same thing twice (`within` and `by` in one deadline), conflict. A state or rule \
            either cites the clause it implements (`clause:`) or is declared an assumption \
            (`assumption:`), not both; an unbounded round limit (`limit: unbounded`) has no \
            `then`, `escalate` or `violation`.
            """,
        example: "states:\n  done:\n    final: completed\n    choice:\n      - {when: \"case.key_post\", to: witness}\n",
        fix: "states:\n  done:\n    final: completed\n")
    var a: String
    var b: String
    var context: String
    var message: String { "`\(b)` cannot be used together with `\(a)` in \(context)" }
}
