/// Token kinds produced by the lexer.
enum TokenKind: Equatable, Sendable {
    case ident(String)
    case int(String)   // digits text (decimal or 0x...), no sign
    case uint(String)
    case double(String)
    case string(String)
    case bytes([UInt8])
    case kwTrue, kwFalse, kwNull, kwIn
    case lParen, rParen, lBracket, rBracket, lBrace, rBrace
    case dot, comma, colon, question
    case plus, minus, star, slash, percent, bang
    case eq, ne, lt, le, gt, ge, and, or
    case quotedIdent(String) // `foo.bar` backquoted field name
    case eof
}

struct Token: Sendable {
    var kind: TokenKind
    var span: CELSpan
}

/// Hand-written lexer over UTF-8 bytes; all offsets are byte offsets.
struct Lexer {
    let src: [UInt8]
    var pos = 0

    init(_ text: String) { src = Array(text.utf8) }

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    mutating func tokenize() throws(CELError) -> [Token] {
        var out: [Token] = []
        while true {
            let t = try next()
            out.append(t)
            if t.kind == .eof { return out }
        }
    }

    private func peek(_ off: Int = 0) -> UInt8? {
        let i = pos + off
        return i < src.count ? src[i] : nil
    }

    private mutating func skipTrivia() {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
                pos += 1
            } else if c == 0x2F, peek(1) == 0x2F {
                while let d = peek(), d != 0x0A { pos += 1 }
            } else {
                return
            }
        }
    }

    private static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    mutating func next() throws(CELError) -> Token {
        skipTrivia()
        let start = pos
        guard let c = peek() else { return Token(kind: .eof, span: CELSpan(start: pos, end: pos)) }
        func tok(_ k: TokenKind, _ n: Int) -> Token {
            pos += n
            return Token(kind: k, span: CELSpan(start: start, end: pos))
        }
        switch c {
        case UInt8(ascii: "("): return tok(.lParen, 1)
        case UInt8(ascii: ")"): return tok(.rParen, 1)
        case UInt8(ascii: "["): return tok(.lBracket, 1)
        case UInt8(ascii: "]"): return tok(.rBracket, 1)
        case UInt8(ascii: "{"): return tok(.lBrace, 1)
        case UInt8(ascii: "}"): return tok(.rBrace, 1)
        case UInt8(ascii: ","): return tok(.comma, 1)
        case UInt8(ascii: ":"): return tok(.colon, 1)
        case UInt8(ascii: "?"): return tok(.question, 1)
        case UInt8(ascii: "+"): return tok(.plus, 1)
        case UInt8(ascii: "-"): return tok(.minus, 1)
        case UInt8(ascii: "*"): return tok(.star, 1)
        case UInt8(ascii: "/"): return tok(.slash, 1)
        case UInt8(ascii: "%"): return tok(.percent, 1)
        case UInt8(ascii: "!"): return peek(1) == UInt8(ascii: "=") ? tok(.ne, 2) : tok(.bang, 1)
        case UInt8(ascii: "="):
            if peek(1) == UInt8(ascii: "=") { return tok(.eq, 2) }
            throw CELError(.syntax, "A single '=' is not allowed here; use '==' to compare values.",
                           span: CELSpan(start: start, end: start + 1), suggestion: "==")
        case UInt8(ascii: "<"): return peek(1) == UInt8(ascii: "=") ? tok(.le, 2) : tok(.lt, 1)
        case UInt8(ascii: ">"): return peek(1) == UInt8(ascii: "=") ? tok(.ge, 2) : tok(.gt, 1)
        case UInt8(ascii: "&"):
            if peek(1) == UInt8(ascii: "&") { return tok(.and, 2) }
            throw CELError(.syntax, "A single '&' is not allowed; use '&&' for \"and\".",
                           span: CELSpan(start: start, end: start + 1), suggestion: "&&")
        case UInt8(ascii: "|"):
            if peek(1) == UInt8(ascii: "|") { return tok(.or, 2) }
            throw CELError(.syntax, "A single '|' is not allowed; use '||' for \"or\".",
                           span: CELSpan(start: start, end: start + 1), suggestion: "||")
        case UInt8(ascii: "."):
            if let d = peek(1), Lexer.isDigit(d) { return try number() }
            return tok(.dot, 1)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return try stringLiteral(start: start, raw: false, bytes: false)
        case UInt8(ascii: "`"):
            pos += 1
            let s = pos
            while let d = peek(), d != UInt8(ascii: "`"), d != 0x0A { pos += 1 }
            guard peek() == UInt8(ascii: "`") else {
                throw CELError(.syntax, "This quoted field name is missing its closing backquote.",
                               span: CELSpan(start: start, end: pos))
            }
            let name = String(decoding: src[s..<pos], as: UTF8.self)
            pos += 1
            if name.isEmpty {
                throw CELError(.syntax, "A quoted field name cannot be empty.", span: CELSpan(start: start, end: pos))
            }
            return Token(kind: .quotedIdent(name), span: CELSpan(start: start, end: pos))
        default:
            break
        }
        if Lexer.isDigit(c) { return try number() }
        if Lexer.isIdentStart(c) {
            // String prefixes: r, b, rb, br (any case) directly followed by a quote.
            var p = 0
            var raw = false, bytes = false
            while p < 2, let d = peek(p) {
                if d == UInt8(ascii: "r") || d == UInt8(ascii: "R") { if raw { break }; raw = true }
                else if d == UInt8(ascii: "b") || d == UInt8(ascii: "B") { if bytes { break }; bytes = true }
                else { break }
                p += 1
                if let q = peek(p), q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                    pos += p
                    return try stringLiteral(start: start, raw: raw, bytes: bytes)
                }
            }
            while let d = peek(), Lexer.isIdentStart(d) || Lexer.isDigit(d) { pos += 1 }
            let word = String(decoding: src[start..<pos], as: UTF8.self)
            let span = CELSpan(start: start, end: pos)
            switch word {
            case "true": return Token(kind: .kwTrue, span: span)
            case "false": return Token(kind: .kwFalse, span: span)
            case "null": return Token(kind: .kwNull, span: span)
            case "in": return Token(kind: .kwIn, span: span)
            default: return Token(kind: .ident(word), span: span)
            }
        }
        // Unknown byte: report the whole UTF-8 character.
        var end = pos + 1
        while end < src.count, src[end] & 0xC0 == 0x80 { end += 1 }
        let ch = String(decoding: src[pos..<end], as: UTF8.self)
        throw CELError(.syntax, "The character '\(ch)' is not allowed in an expression.",
                       span: CELSpan(start: start, end: end))
    }

    private mutating func number() throws(CELError) -> Token {
        let start = pos
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            pos += 2
            let ds = pos
            while let d = peek(), Lexer.isHex(d) { pos += 1 }
            if pos == ds {
                throw CELError(.syntax, "A hexadecimal number needs digits after '0x'.", span: CELSpan(start: start, end: pos))
            }
            let text = String(decoding: src[start..<pos], as: UTF8.self)
            if let u = peek(), u == UInt8(ascii: "u") || u == UInt8(ascii: "U") {
                pos += 1
                return Token(kind: .uint(text), span: CELSpan(start: start, end: pos))
            }
            try checkNumberEnd(start)
            return Token(kind: .int(text), span: CELSpan(start: start, end: pos))
        }
        var isDouble = false
        while let d = peek(), Lexer.isDigit(d) { pos += 1 }
        if peek() == UInt8(ascii: "."), let d = peek(1), Lexer.isDigit(d) {
            isDouble = true
            pos += 1
            while let d = peek(), Lexer.isDigit(d) { pos += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var p = 1
            if let s = peek(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { p = 2 }
            if let d = peek(p), Lexer.isDigit(d) {
                isDouble = true
                pos += p
                while let d = peek(), Lexer.isDigit(d) { pos += 1 }
            } else {
                throw CELError(.syntax, "This number has an incomplete exponent.", span: CELSpan(start: start, end: pos + p))
            }
        }
        let text = String(decoding: src[start..<pos], as: UTF8.self)
        if isDouble {
            try checkNumberEnd(start)
            return Token(kind: .double(text), span: CELSpan(start: start, end: pos))
        }
        if let u = peek(), u == UInt8(ascii: "u") || u == UInt8(ascii: "U") {
            pos += 1
            return Token(kind: .uint(text), span: CELSpan(start: start, end: pos))
        }
        try checkNumberEnd(start)
        return Token(kind: .int(text), span: CELSpan(start: start, end: pos))
    }

    private func checkNumberEnd(_ start: Int) throws(CELError) {
        if let d = peek(), Lexer.isIdentStart(d) {
            var end = pos
            while end < src.count, Lexer.isIdentStart(src[end]) || Lexer.isDigit(src[end]) { end += 1 }
            throw CELError(.syntax, "This number is directly followed by letters; add a space or operator between them.",
                           span: CELSpan(start: start, end: end))
        }
    }

    private mutating func stringLiteral(start: Int, raw: Bool, bytes: Bool) throws(CELError) -> Token {
        guard let q = peek() else { throw CELError(.syntax, "Unexpected end of text.", span: CELSpan(start: start, end: pos)) }
        let triple = peek(1) == q && peek(2) == q
        pos += triple ? 3 : 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw CELError(.syntax, "This text is missing its closing quote.", span: CELSpan(start: start, end: pos))
            }
            if c == q {
                if !triple { pos += 1; break }
                if peek(1) == q && peek(2) == q { pos += 3; break }
                out.append(c); pos += 1; continue
            }
            if !triple && (c == 0x0A || c == 0x0D) {
                throw CELError(.syntax, "A quoted text cannot span lines unless it uses triple quotes.",
                               span: CELSpan(start: start, end: pos))
            }
            if c == UInt8(ascii: "\\") {
                if raw {
                    // Raw strings keep the backslash; it only prevents a quote from closing the literal.
                    out.append(c); pos += 1
                    continue
                }
                try escape(into: &out, bytes: bytes)
                continue
            }
            out.append(c); pos += 1
        }
        let span = CELSpan(start: start, end: pos)
        if bytes { return Token(kind: .bytes(out), span: span) }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw CELError(.badEscape, "This text contains invalid characters.", span: span)
        }
        return Token(kind: .string(s), span: span)
    }

    private mutating func escape(into out: inout [UInt8], bytes: Bool) throws(CELError) {
        let es = pos
        pos += 1 // backslash
        guard let c = peek() else { throw CELError(.badEscape, "The text ends in the middle of an escape sequence.", span: CELSpan(start: es, end: pos)) }
        func bad(_ len: Int) -> CELError {
            let end = min(src.count, es + len)
            let text = String(decoding: src[es..<end], as: UTF8.self)
            return CELError(.badEscape, "'\(text)' is not a valid escape sequence.", span: CELSpan(start: es, end: end))
        }
        func appendScalar(_ v: UInt32, len: Int) throws(CELError) {
            guard let s = Unicode.Scalar(v) else { throw bad(len) }
            out.append(contentsOf: Array(String(Character(s)).utf8))
        }
        func hex(_ n: Int) throws(CELError) -> UInt32 {
            var v: UInt32 = 0
            for i in 0..<n {
                guard let d = peek(1 + i), Lexer.isHex(d) else { throw bad(2 + i) }
                let dv: UInt8 = Lexer.isDigit(d) ? d - 48 : (d | 0x20) - 87
                v = v * 16 + UInt32(dv)
            }
            return v
        }
        switch c {
        case UInt8(ascii: "a"): out.append(7); pos += 1
        case UInt8(ascii: "b"): out.append(8); pos += 1
        case UInt8(ascii: "f"): out.append(12); pos += 1
        case UInt8(ascii: "n"): out.append(10); pos += 1
        case UInt8(ascii: "r"): out.append(13); pos += 1
        case UInt8(ascii: "t"): out.append(9); pos += 1
        case UInt8(ascii: "v"): out.append(11); pos += 1
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "?"):
            out.append(c); pos += 1
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            let v = try hex(2)
            pos += 3
            if bytes { out.append(UInt8(v)) } else { try appendScalar(v, len: 4) }
        case UInt8(ascii: "u"):
            let v = try hex(4)
            if v >= 0xD800 && v < 0xE000 { throw bad(6) }
            pos += 5
            try appendScalar(v, len: 6)
        case UInt8(ascii: "U"):
            let v = try hex(8)
            if (v >= 0xD800 && v < 0xE000) || v > 0x10FFFF { throw bad(10) }
            pos += 9
            try appendScalar(v, len: 10)
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            var v: UInt32 = 0
            for i in 0..<3 {
                guard let d = peek(i), d >= 48 && d <= 55 else { throw bad(2 + i) }
                v = v * 8 + UInt32(d - 48)
            }
            pos += 3
            if bytes { out.append(UInt8(v)) } else { try appendScalar(v, len: 4) }
        default:
            throw bad(2)
        }
    }
}
