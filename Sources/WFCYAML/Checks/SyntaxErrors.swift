import WFCDiagnostics

/// Turns libyaml's errors into diagnostics a policy author understands: the problem at its
/// mark, the context ("the mapping that started here") as a secondary label, and a note on
/// the usual cause.
enum SyntaxErrors {
    static func diagnostic(_ e: YAMLParseError, file: SourceFile, offset: (YAMLMark) -> Int) -> Diagnostic {
        if e.stage == .reader {
            let at = min(max(e.problemOffset ?? 0, 0), file.bytes.count)
            var cp = e.problemValue.map { String($0, radix: 16, uppercase: true) } ?? "?"
            while cp.count < 4 { cp = "0" + cp }
            return Diagnostic(
                InvalidCharacter(problem: e.problem, codePoint: cp),
                at: SourceSpan(file: file.path, start: at, end: charEnd(file, at)), label: "here")
        }
        let at = e.problemMark.map(offset) ?? file.bytes.count
        let span = SourceSpan(file: file.path, start: at, end: charEnd(file, at))
        var secondary: [Label] = []
        if let ctx = e.context, let m = e.contextMark {
            let c = offset(m)
            if c != at {
                secondary.append(Label(SourceSpan(file: file.path, start: c, end: charEnd(file, c)), contextLabel(ctx)))
            }
        }
        let char: UInt8? = at < file.bytes.count ? file.bytes[at] : nil
        var (message, label, note, help) = explain(e.problem, context: e.context, char: char)
        if e.problem == "mapping values are not allowed in this context" || e.problem == "could not find expected ':'",
           let colon = missingSpaceAfterColon(file, before: at) {
            // `key:value` is one plain scalar, so the real mistake is earlier than libyaml's mark.
            secondary.append(Label(SourceSpan(file: file.path, start: colon, end: colon + 1), "missing space after `:`?"))
            note = "`key:value` without a space after the colon is read as one piece of text, not as a key and a value."
            help = "write a space after the colon, e.g. `title: 提前申请`"
        }
        return Diagnostic(
            YAMLSyntaxError(text: message), at: span, label: label, secondary: secondary,
            notes: note.map { [$0] } ?? [], help: help)
    }

    /// Looks back up to three lines from `offset` for `key:value` with no space after the
    /// colon, the most common YAML mistake; returns the colon's offset.
    static func missingSpaceAfterColon(_ file: SourceFile, before offset: Int) -> Int? {
        let last = file.lineIndex(of: offset)
        for li in stride(from: last, through: max(0, last - 3), by: -1) {
            let start = file.lineStarts[li]
            let end = file.lineContentEnd(li)
            var i = start
            let b = file.bytes
            while i < end && b[i] == UInt8(ascii: " ") { i += 1 }
            if i < end && b[i] == UInt8(ascii: "-") { i += 1; while i < end && b[i] == UInt8(ascii: " ") { i += 1 } }
            // The key: letters, digits, `_`, `-`, `.` (ASCII only, as workflow keys are).
            let keyStart = i
            while i < end, isKeyByte(b[i]) { i += 1 }
            guard i > keyStart, i + 1 < end, b[i] == UInt8(ascii: ":") else { continue }
            let next = b[i + 1]
            if next != UInt8(ascii: " ") && next != UInt8(ascii: "/") && next != UInt8(ascii: ":") && next != 0x09 {
                return i
            }
        }
        return nil
    }

    private static func isKeyByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    /// The span of the character at `offset` (empty at the end of the file).
    static func charEnd(_ file: SourceFile, _ offset: Int) -> Int {
        let b = file.bytes
        guard offset < b.count else { return offset }
        if b[offset] == 0x0D || b[offset] == 0x0A { return offset }
        var e = offset + 1
        while e < b.count && b[e] & 0xC0 == 0x80 { e += 1 }
        return e
    }

    private static func contextLabel(_ context: String) -> String {
        var c = context
        for prefix in ["while parsing ", "while scanning "] where c.hasPrefix(prefix) {
            c = String(c.dropFirst(prefix.count))
        }
        return c + " that started here"
    }

    /// (message, label, note on the usual cause, help).
    private static func explain(_ problem: String, context: String?, char: UInt8?) -> (String, String, String?, String?) {
        switch problem {
        case "found character that cannot start any token":
            if char == 0x09 {
                return ("a tab character is used for indentation", "tab",
                        "YAML allows only spaces for indentation.", "replace the tab with spaces")
            }
            if char == UInt8(ascii: "@") || char == UInt8(ascii: "`") {
                return ("a value cannot start with `\(Unicode.Scalar(char ?? 0x40))`", "reserved character",
                        "`@` and `` ` `` are reserved in YAML.", "put the value in quotes")
            }
            return ("this character cannot start a value", "unexpected character",
                    "The usual cause is a special character (`%`, `@`, `` ` ``, `|`, `>`) at the start of an unquoted value.",
                    "put the value in quotes")
        case "mapping values are not allowed in this context":
            return ("unexpected `:` here", "unexpected `:`",
                    "The usual cause is an unquoted value that contains `: `, or a key indented at the wrong level.",
                    "if the value contains a colon, put it in quotes, e.g. `title: \"审批: 经理\"`")
        case "did not find expected key":
            return ("the indentation here does not match the mapping", "expected a key at this indentation",
                    "The usual cause is bad indentation: all keys of one mapping must start in the same column.",
                    "line this up with the other keys of the mapping")
        case "could not find expected ':'":
            return ("expected `:` after a key", "expected `:`",
                    "The usual cause is a missing space after `:` (YAML needs `key: value`), or a value that runs onto the next line.",
                    "write `key: value` with a space after the colon")
        case "found unexpected end of stream":
            if let c = context, c.contains("quoted scalar") {
                return ("a quoted string is not closed", "the file ends inside this string",
                        "Every opening quote needs a matching closing quote.", "add the closing quote")
            }
            return ("the file ends unexpectedly", "end of file", nil, nil)
        case "found a tab character that violates indentation", "found a tab character where an indentation space is expected":
            return ("a tab character is used for indentation", "tab",
                    "YAML allows only spaces for indentation.", "replace the tab with spaces")
        case "block sequence entries are not allowed in this context":
            return ("a `- ` list item is not allowed here", "unexpected list item",
                    "The usual cause is a list item at the wrong indentation, or a list that follows a value on the same key.",
                    "indent the list under its key, and remove any value written after the key's colon")
        case "did not find expected '-' indicator":
            return ("expected a `- ` list item at this indentation", "expected `- `",
                    "The usual cause is bad indentation inside a list.", "line this up with the other `- ` items")
        case "found unknown escape character":
            return ("unknown escape sequence in a double-quoted string", "unknown escape",
                    "In double quotes, `\\` starts an escape such as `\\n`.",
                    "write a literal backslash as `\\\\`, or use single quotes")
        case "did not find expected node content":
            return ("a value is missing here", "expected a value", "The usual cause is a stray `,`, `]`, `}` or `-`.", nil)
        case "did not find expected ',' or ']'":
            return ("a `[` list is not closed", "expected `,` or `]`", nil, "add the closing `]`")
        case "did not find expected ',' or '}'":
            return ("a `{` mapping is not closed", "expected `,` or `}`", nil, "add the closing `}`")
        case "found undefined tag handle":
            return ("unknown tag handle", "undefined tag handle", "Only `!` and `!!` handles are predefined.", nil)
        default:
            return (problem, "here", nil, nil)
        }
    }
}

struct YAMLSyntaxError: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1001", name: "yaml-syntax", summary: "The file is not valid YAML.",
        explanation: """
            libyaml could not parse the file. The caret shows where parsing stopped; a second \
            label shows the construct (mapping, list, quoted string) that was open at the time. \
            The note names the usual cause: a tab used for indentation, a missing space after \
            `:`, an unquoted value containing `: `, or keys that are not lined up.
            """,
        example: "states:\n  apply:\n    title:提前申请\n    clause: 四.1\n",
        fix: "states:\n  apply:\n    title: 提前申请\n    clause: 四.1\n")
    var text: String
    var message: String { text }
}

struct InvalidCharacter: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1014", name: "invalid-character", summary: "The file contains a character YAML does not allow.",
        explanation: """
            YAML forbids most control characters (U+0000–U+001F except tab, LF and CR, U+007F \
            and others). They usually come from copying text out of a word processor or a PDF.
            """,
        example: "title: 交接\\x07审核   # a BEL control character\n",
        fix: "title: 交接审核\n")
    var problem: String
    var codePoint: String
    var message: String { "the character U+\(codePoint) is not allowed in YAML (\(problem))" }
    var help: String? { "delete the character; it is often invisible in editors" }
}
