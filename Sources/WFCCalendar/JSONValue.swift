import Foundation

/// A parsed JSON value, kept generic so the calendar-file validator can report every problem with
/// its exact JSON path.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// "a string", "a number", … for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true/false"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// Parses strict JSON (RFC 8259): no trailing commas, no comments, nothing after the value,
    /// and — unlike Foundation's parsers — no duplicate keys in an object (a duplicated year would
    /// otherwise silently replace the first one). A leading UTF-8 byte-order mark is ignored.
    static func parse(_ data: Data) throws(CalendarError) -> JSONValue {
        var p = StrictJSONParser(bytes: [UInt8](data))
        return try p.parseDocument()
    }
}

/// A small strict JSON parser over UTF-8 bytes with line/column error messages.
struct StrictJSONParser {
    let bytes: [UInt8]
    var pos = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(CalendarError) -> JSONValue {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalid(path: "", message: "not valid JSON: the file is not UTF-8 text")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        skipWhitespace()
        let v = try value(path: "")
        skipWhitespace()
        guard pos == bytes.count else { throw syntax("unexpected text after the end of the JSON value") }
        return v
    }

    // MARK: Errors

    /// Line and column (1-based, in characters) of `offset`.
    func location(_ offset: Int) -> String {
        var line = 1, column = 1
        for b in bytes[..<min(offset, bytes.count)] {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return "line \(line), column \(column)"
    }

    func syntax(_ message: String, at offset: Int? = nil) -> CalendarError {
        .invalid(path: "", message: "not valid JSON: \(message) at \(location(offset ?? pos))")
    }

    func describeCurrent() -> String {
        guard pos < bytes.count else { return "the end of the file" }
        let b = bytes[pos]
        return b >= 0x21 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "a \(b < 0x80 ? "control" : "non-ASCII") character"
    }

    // MARK: Grammar

    mutating func skipWhitespace() {
        while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
    }

    mutating func expect(_ c: UInt8, _ what: String) throws(CalendarError) {
        guard pos < bytes.count, bytes[pos] == c else { throw syntax("expected \(what), found \(describeCurrent())") }
        pos += 1
    }

    mutating func value(path: String) throws(CalendarError) -> JSONValue {
        guard pos < bytes.count else { throw syntax("expected a value, found the end of the file") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try object(path: path)
        case UInt8(ascii: "["): return try array(path: path)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw syntax("expected a value, found \(describeCurrent())")
        }
    }

    mutating func literal(_ word: String) throws(CalendarError) {
        let w = Array(word.utf8)
        guard bytes.count - pos >= w.count, Array(bytes[pos..<pos + w.count]) == w else {
            throw syntax("expected a value, found \(describeCurrent())")
        }
        pos += w.count
    }

    mutating func enter() throws(CalendarError) {
        depth += 1
        guard depth <= 64 else { throw syntax("nested too deeply") }
    }

    mutating func object(path: String) throws(CalendarError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        pos += 1
        var out: [String: JSONValue] = [:]
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(out) }
        while true {
            skipWhitespace()
            let keyStart = pos
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw syntax("expected a key in double quotes, found \(describeCurrent())")
            }
            let key = try string()
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            guard out[key] == nil else {
                throw .invalid(path: childPath, message: "the key \"\(key)\" appears twice in the same object (again at \(location(keyStart)))")
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after the key")
            skipWhitespace()
            out[key] = try value(path: childPath)
            skipWhitespace()
            guard pos < bytes.count else { throw syntax("expected ',' or '}', found the end of the file") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(out) }
            throw syntax("expected ',' or '}', found \(describeCurrent())")
        }
    }

    mutating func array(path: String) throws(CalendarError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        pos += 1
        var out: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(out) }
        while true {
            skipWhitespace()
            out.append(try value(path: "\(path)[\(out.count)]"))
            skipWhitespace()
            guard pos < bytes.count else { throw syntax("expected ',' or ']', found the end of the file") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(out) }
            throw syntax("expected ',' or ']', found \(describeCurrent())")
        }
    }

    mutating func hex4() throws(CalendarError) -> UInt32 {
        guard bytes.count - pos >= 4 else { throw syntax("incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw syntax("invalid \\u escape")
            }
            v = v * 16 + UInt32(d)
            pos += 1
        }
        return v
    }

    mutating func string() throws(CalendarError) -> String {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw syntax("unterminated string (missing closing '\"')", at: start) }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { pos += 1; break }
            if b < 0x20 { throw syntax("line break or control character inside a string (missing closing '\"'?)") }
            if b != UInt8(ascii: "\\") { out.append(b); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { throw syntax("unterminated string", at: start) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard bytes.count - pos >= 2, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw syntax("unpaired surrogate in \\u escape")
                    }
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw syntax("unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw syntax("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw syntax("invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string", at: pos - 2)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func number() throws(CalendarError) -> Double {
        let start = pos
        func digits(_ p: inout Int, _ bytes: [UInt8]) -> Int {
            let s = p
            while p < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[p]) { p += 1 }
            return p - s
        }
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        let intStart = pos
        let n = digits(&pos, bytes)
        guard n > 0, !(n > 1 && bytes[intStart] == UInt8(ascii: "0")) else { throw syntax("invalid number", at: start) }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard digits(&pos, bytes) > 0 else { throw syntax("invalid number", at: start) }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits(&pos, bytes) > 0 else { throw syntax("invalid number", at: start) }
        }
        guard let v = Double(String(decoding: bytes[start..<pos], as: UTF8.self)) else { throw syntax("invalid number", at: start) }
        return v
    }
}
