/// Resolves plain scalars by YAML 1.2's core schema: only `true`/`false` (and their
/// capitalised forms) are booleans, so `yes`, `no`, `on` and `off` stay strings.
enum ScalarResolver {
    enum Outcome {
        case value(ScalarValue)
        /// Looks like an integer but does not fit in 64 bits.
        case intOutOfRange
    }

    /// False when a non-empty plain scalar of `count` bytes starting with `firstByte` is
    /// certainly a string (``resolvePlain`` would return `.string`): it cannot be a number,
    /// `~`, `null`, `true` or `false` in any of their spellings.
    @inline(__always)
    static func mayBeNonString(firstByte b: UInt8, count: Int) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return true
        case UInt8(ascii: "~"):
            return count == 1
        case UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"):
            return count == 4
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            return count == 5
        default:
            return false
        }
    }

    static func resolvePlain(_ text: String) -> Outcome {
        let utf8 = text.utf8
        guard let first = utf8.first else { return .value(.null) }
        // Most scalars are words: decide on the first byte.
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            break
        case UInt8(ascii: "~"):
            return .value(utf8.count == 1 ? .null : .string(text))
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if text == "null" || text == "Null" || text == "NULL" { return .value(.null) }
            return .value(.string(text))
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            if text == "true" || text == "True" || text == "TRUE" { return .value(.bool(true)) }
            return .value(.string(text))
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            if text == "false" || text == "False" || text == "FALSE" { return .value(.bool(false)) }
            return .value(.string(text))
        default:
            return .value(.string(text))
        }
        // The bytes in place (contiguous for native strings); copied only if they are not.
        let outcome: Outcome?
        if let inPlace = utf8.withContiguousStorageIfAvailable({ number($0, text) }) {
            outcome = inPlace
        } else {
            outcome = Array(utf8).withUnsafeBufferPointer { number($0, text) }
        }
        return outcome ?? .value(.string(text))
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ text: String) -> Outcome? {
        let n = bytes.count
        // 0o17 and 0x1F: no sign allowed.
        if n > 2 && bytes[0] == UInt8(ascii: "0") && (bytes[1] == UInt8(ascii: "o") || bytes[1] == UInt8(ascii: "x")) {
            let radix = bytes[1] == UInt8(ascii: "o") ? 8 : 16
            let digits = bytes[2...]
            guard digits.allSatisfy({ isDigit($0, radix: radix) }) else { return nil }
            guard let v = Int(String(decoding: digits, as: UTF8.self), radix: radix) else { return .intOutOfRange }
            return .value(.int(v))
        }
        var i = 0
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { i = 1 }
        guard i < n else { return nil }
        // Signed infinity and NaN.
        if bytes[i] == UInt8(ascii: ".") {
            let rest = String(decoding: bytes[(i + 1)...], as: UTF8.self)
            if rest == "inf" || rest == "Inf" || rest == "INF" {
                return .value(.float(bytes[0] == UInt8(ascii: "-") ? -.infinity : .infinity))
            }
            if i == 0 && (rest == "nan" || rest == "NaN" || rest == "NAN") { return .value(.float(.nan)) }
        }
        // [-+]?[0-9]+
        var j = i
        while j < n && isDigit(bytes[j], radix: 10) { j += 1 }
        if j == n && j > i {
            let v = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
            return v.map { .value(.int($0)) } ?? .intOutOfRange
        }
        // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        var k = i
        var mantissaDigits = 0
        while k < n && isDigit(bytes[k], radix: 10) { k += 1; mantissaDigits += 1 }
        if k < n && bytes[k] == UInt8(ascii: ".") {
            k += 1
            var frac = 0
            while k < n && isDigit(bytes[k], radix: 10) { k += 1; frac += 1 }
            if mantissaDigits == 0 && frac == 0 { return nil }
            mantissaDigits += frac
        }
        guard mantissaDigits > 0 else { return nil }
        if k < n && (bytes[k] == UInt8(ascii: "e") || bytes[k] == UInt8(ascii: "E")) {
            k += 1
            if k < n && (bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: "+")) { k += 1 }
            var e = 0
            while k < n && isDigit(bytes[k], radix: 10) { k += 1; e += 1 }
            if e == 0 { return nil }
        }
        guard k == n, let d = Double(text) else { return nil }
        return .value(.float(d))
    }

    private static func isDigit(_ b: UInt8, radix: Int) -> Bool {
        switch radix {
        case 8: return b >= UInt8(ascii: "0") && b <= UInt8(ascii: "7")
        case 16:
            return (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
                || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
        default: return b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
        }
    }
}
