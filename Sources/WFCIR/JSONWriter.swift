import Foundation

/// Writes JSON byte for byte as `JSONEncoder` does with `[.sortedKeys, .withoutEscapingSlashes]`
/// (the canonical JSON of the case store), without its intermediate containers: the snapshot
/// is encoded at every step, and the encoder's setup and boxing were most of a step's cost.
/// Stored hashes depend on these bytes; `JSONWriterTests` compares them with the encoder's.
///
/// The encoder's rules, as written here:
/// - object keys sorted by their UTF-8 bytes (not by `String`'s `<`, which compares
///   canonically equivalent forms as equal);
/// - strings: `"` `\` and the control characters escaped (`\b \f \n \r \t`, others `\u00xx` in
///   lowercase hex), everything else — `/`, DEL, U+2028, non-ASCII — as UTF-8;
/// - integers in decimal; a `Double` through the encoder itself (rare in case data; its
///   formatting has several cases);
/// - an absent optional field is left out (the synthesized `encodeIfPresent`).
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// JSON text written elsewhere (a nested document), as it is.
    public mutating func json(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `,"key":` (the comma unless `first`); `key` is a literal that needs no escaping.
    @inline(__always) public mutating func key(_ k: StaticString, first: Bool = false) {
        if !first { byte(UInt8(ascii: ",")) }
        byte(UInt8(ascii: "\""))
        raw(k)
        raw("\":")
    }

    public mutating func int(_ n: Int) {
        if n >= 0 && n < 10 { byte(UInt8(ascii: "0") + UInt8(n)); return }
        var s = String(n)
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func bool(_ b: Bool) {
        if b { raw("true") } else { raw("false") }
    }

    /// A `Double` exactly as the encoder writes it; a non-finite value cannot be written.
    public mutating func double(_ d: Double) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        bytes.append(contentsOf: try e.encode(d))
    }

    /// A JSON string literal.
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            byte(UInt8(ascii: "\""))
            var start = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                start = i + 1
                switch b {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    let hex: StaticString = "0123456789abcdef"
                    raw("\\u00")
                    hex.withUTF8Buffer { h in
                        byte(h[Int(b >> 4)])
                        byte(h[Int(b & 0x0f)])
                    }
                }
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
            byte(UInt8(ascii: "\""))
        }
    }

    /// A string, or `null` when absent.
    public mutating func optional(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    public mutating func strings(_ list: [String]) {
        byte(UInt8(ascii: "["))
        for (i, s) in list.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            string(s)
        }
        byte(UInt8(ascii: "]"))
    }

    /// A list, each element written by `element`.
    public mutating func list<T>(_ list: [T], _ element: (inout JSONWriter, T) throws -> Void) rethrows {
        byte(UInt8(ascii: "["))
        for (i, x) in list.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            try element(&self, x)
        }
        byte(UInt8(ascii: "]"))
    }

    /// An object with the dictionary's keys in the encoder's order, each value written by `value`.
    public mutating func object<V>(_ dict: [String: V], _ value: (inout JSONWriter, V) throws -> Void) rethrows {
        byte(UInt8(ascii: "{"))
        if dict.count == 1, let only = dict.first {
            string(only.key)
            byte(UInt8(ascii: ":"))
            try value(&self, only.value)
        } else {
            for (i, pair) in dict.sorted(by: { Self.keyOrder($0.key, $1.key) }).enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                string(pair.key)
                byte(UInt8(ascii: ":"))
                try value(&self, pair.value)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    /// The encoder's key order: by UTF-8 bytes.
    static func keyOrder(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.lexicographicallyPrecedes(y) } }
    }

    /// A case value.
    public mutating func value(_ v: ValueIR) throws {
        switch v {
        case .null: raw("null")
        case .bool(let b): bool(b)
        case .int(let n): int(n)
        case .double(let d): try double(d)
        case .string(let s): string(s)
        case .list(let l): try list(l) { w, x in try w.value(x) }
        case .map(let m): try object(m) { w, x in try w.value(x) }
        }
    }

    /// A source span (`SpanIR`'s synthesized coding).
    public mutating func span(_ s: SpanIR) {
        byte(UInt8(ascii: "{"))
        key("column", first: true); int(s.column)
        key("end"); int(s.end)
        key("file"); string(s.file)
        key("line"); int(s.line)
        key("start"); int(s.start)
        byte(UInt8(ascii: "}"))
    }
}

extension ValueIR {
    /// Whether a `Double` occurs in the value: the only case whose JSON can read back as
    /// another value (`1.0` is written `1` and read as an integer).
    public var hasDouble: Bool {
        switch self {
        case .double: true
        case .null, .bool, .int, .string: false
        case .list(let l): l.contains(where: \.hasDouble)
        case .map(let m): m.values.contains(where: \.hasDouble)
        }
    }
}
