import WFCIR
import WFCDiagnostics
import WFCYAML

/// The keys a mapping accepts, with their codes worked out once.
struct KeySet: ExpressibleByArrayLiteral {
    let names: [String]
    let codes: [YAMLKeyCode]

    init(arrayLiteral names: String...) {
        self.names = names
        // The language's own keys; a longer one is a mistake in wfc, not in the input.
        codes = names.map { name in
            guard let code = YAMLKeyCode(name) else { preconditionFailure("key `\(name)` is longer than 15 bytes") }
            return code
        }
    }

    func contains(_ name: String) -> Bool { YAMLKeyCode(name).map(codes.contains) ?? false }
}

/// Reads one YAML mapping against a set of known keys, reporting unknown keys (with a
/// did-you-mean), wrong value types and missing required keys. Every problem is collected.
struct MappingReader {
    /// Where the mapping was written.
    let span: NodeSpan
    let file: String
    let context: String
    private let entries: YAMLMapping
    /// The known keys present, first occurrence only, in file order, with their entry
    /// index. Mappings are small, so a linear search beats hashing.
    private var found: [(code: YAMLKeyCode, entry: Int)] = []

    /// Reads `node`; reports it when it is not a mapping and returns nil.
    init?(_ node: YAMLNode, file: String, context: String, known: KeySet, diagnostics: inout [Diagnostic]) {
        self.span = node.span
        self.file = file
        self.context = context
        guard let entries = node.mapping else {
            diagnostics.append(Diagnostic(WrongType(what: context, expected: "a mapping", found: node.kindDescription),
                                          at: node.span.in(file), label: "expected a mapping"))
            return nil
        }
        self.entries = entries
        found.reserveCapacity(entries.count)
        for i in entries.indices {
            let keyNode = entries.key(at: i)
            guard keyNode.isScalar else {
                diagnostics.append(Diagnostic(WrongType(what: "a key in \(context)", expected: "a string", found: keyNode.kindDescription),
                                              at: keyNode.span.in(file)))
                continue
            }
            guard let code = keyNode.keyCode, known.codes.contains(code) else {
                let key = keyNode.scalar?.text ?? ""
                let suggestion = Suggestions.closest(to: key, among: known.names)
                var fix: [FixIt] = []
                if let s = suggestion { fix = [FixIt("rename the key", replacing: keyNode.span.in(file), with: s)] }
                diagnostics.append(Diagnostic(
                    UnknownKey(key: key, context: context), at: keyNode.span.in(file), label: "unknown key",
                    help: suggestion.map { "did you mean `\($0)`?" } ?? "the keys of \(context) are: \(known.names.joined(separator: ", "))",
                    fixIts: fix))
                continue
            }
            if !found.contains(where: { $0.code == code }) { found.append((code, i)) }
        }
    }

    private func entry(_ key: String) -> Int? {
        guard let code = YAMLKeyCode(key) else { return nil }
        for f in found where f.code == code { return f.entry }
        return nil
    }
    func has(_ key: String) -> Bool { entry(key) != nil }
    func value(_ key: String) -> YAMLNode? { entry(key).map { entries.value(at: $0) } }
    func keySpan(_ key: String) -> SourceSpan? { entry(key).map { entries.key(at: $0).span.in(file) } }

    func string(_ key: String, required: Bool = false, _ d: inout [Diagnostic]) -> Spanned<String>? {
        guard let v = value(key) else {
            if required { missing(key, &d) }
            return nil
        }
        // Locals, so that the message closure captures two strings, not a copy of the reader.
        let context = self.context, file = self.file
        return Self.string(v, what: "`\(key)` in \(context)", file: file, &d)
    }

    /// `what` names the value in messages; it is only built when one is reported.
    static func string(_ v: YAMLNode, what: @autoclosure () -> String, file: String, _ d: inout [Diagnostic]) -> Spanned<String>? {
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

    func int(_ key: String, required: Bool = false, _ d: inout [Diagnostic]) -> Spanned<Int>? {
        guard let v = value(key) else {
            if required { missing(key, &d) }
            return nil
        }
        guard case .int(let n)? = v.scalar?.value else {
            d.append(Diagnostic(WrongType(what: "`\(key)` in \(context)", expected: "a whole number", found: v.kindDescription),
                                at: v.span.in(file), label: "expected a whole number"))
            return nil
        }
        return Spanned(n, v.span.in(file))
    }

    func bool(_ key: String, _ d: inout [Diagnostic]) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b)? = v.scalar?.value else {
            d.append(Diagnostic(WrongType(what: "`\(key)` in \(context)", expected: "true or false", found: v.kindDescription),
                                at: v.span.in(file), label: "expected true or false"))
            return nil
        }
        return b
    }

    /// A string or a list of strings (`by: manager` and `by: [manager, hr]`).
    func stringList(_ key: String, _ d: inout [Diagnostic]) -> [Spanned<String>]? {
        guard let v = value(key) else { return nil }
        let context = self.context, file = self.file
        return Self.stringList(v, what: "`\(key)` in \(context)", file: file, &d)
    }

    static func stringList(_ v: YAMLNode, what: @autoclosure () -> String, file: String, _ d: inout [Diagnostic]) -> [Spanned<String>] {
        if let items = v.sequence {
            return items.compactMap { string($0, what: "an entry of \(what())", file: file, &d) }
        }
        return string(v, what: what(), file: file, &d).map { [$0] } ?? []
    }

    func missing(_ key: String, _ d: inout [Diagnostic]) {
        let span = entries.first?.key.span.in(file) ?? self.span.in(file)
        d.append(Diagnostic(MissingKey(key: key, context: context), at: span, label: "`\(key)` is missing here"))
    }

    /// Reports that two keys cannot be used together.
    func conflict(_ a: String, _ b: String, _ d: inout [Diagnostic], reason: String? = nil) {
        guard let sa = keySpan(a), let sb = keySpan(b) else { return }
        let (first, second) = sa.start < sb.start ? ((a, sa), (b, sb)) : ((b, sb), (a, sa))
        d.append(Diagnostic(
            ConflictingKeys(a: first.0, b: second.0, context: context), at: second.1, label: "conflicts with `\(first.0)`",
            secondary: [Label(first.1, "`\(first.0)` is here")], notes: reason.map { [$0] } ?? []))
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
            same thing twice (`within` and `by` in one deadline), conflict.
            """,
        example: "states:\n  done:\n    final: completed\n    choice:\n      - {when: \"case.key_post\", to: witness}\n",
        fix: "states:\n  done:\n    final: completed\n")
    var a: String
    var b: String
    var context: String
    var message: String { "`\(b)` cannot be used together with `\(a)` in \(context)" }
}
