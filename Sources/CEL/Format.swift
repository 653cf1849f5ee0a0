/// Text rendering of values (CEL literal syntax where possible).
public enum CELFormat {
    /// Renders a value the way it would be written in CEL, e.g. `[1, "a", true]`, `{"k": 2u}`.
    public static func render(_ v: CELValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d):
            let s = double(d)
            if d.isFinite, !s.contains("."), !s.contains("e") { return s + ".0" }
            return s
        case .string(let s): return quote(s)
        case .bytes(let b):
            var s = "b\""
            for c in b {
                if c >= 0x20 && c < 0x7F && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") {
                    s.append(Character(Unicode.Scalar(c)))
                } else {
                    s += "\\x" + String(c, radix: 16, uppercase: false).leftPad(2)
                }
            }
            return s + "\""
        case .list(let l): return "[" + l.map(render).joined(separator: ", ") + "]"
        case .map(let m):
            var parts: [String] = []
            for i in 0..<m.count { parts.append(render(m.keys[i]) + ": " + render(m.values[i])) }
            return "{" + parts.joined(separator: ", ") + "}"
        case .timestamp(let t): return "timestamp(\"\(CELTime.formatTimestamp(t))\")"
        case .duration(let d): return "duration(\"\(CELTime.formatDuration(d))\")"
        case .date(let d): return "date(\"\(d)\")"
        case .type(let t): return t.runtimeName
        case .record(let r):
            var parts: [String] = []
            for (i, f) in r.type.fields.enumerated() {
                if let v = r.fields[i] { parts.append("\(f.name): \(render(v))") }
            }
            return r.type.name + "{" + parts.joined(separator: ", ") + "}"
        case .opaque(let o): return "<\(o.typeName)>"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += "\\x" + String(u.value, radix: 16).leftPad(2) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Formats a double like Go's `strconv.FormatFloat(d, 'g', -1, 64)` (as other CEL runtimes do).
    public static func double(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        // Swift's description is the shortest round-tripping representation; extract its digits.
        let desc = "\(abs(d))"
        var mantissa = desc
        var exp = 0
        if let e = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(desc[..<e])
            exp = Int(desc[desc.index(after: e)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            fracPart = String(mantissa[mantissa.index(after: dot)...])
        }
        var digitsStr = intPart + fracPart
        var pointPos = intPart.count + exp // position of decimal point within digitsStr
        while digitsStr.hasPrefix("0") && digitsStr.count > 1 { digitsStr.removeFirst(); pointPos -= 1 }
        while digitsStr.hasSuffix("0") && digitsStr.count > 1 { digitsStr.removeLast() }
        let nd = digitsStr.count
        let x = pointPos - 1 // decimal exponent
        var out = d < 0 ? "-" : ""
        if x < -4 || x >= max(nd, 21) {
            // %e form
            let first = digitsStr.prefix(1)
            let rest = digitsStr.dropFirst()
            out += first
            if !rest.isEmpty { out += "." + rest }
            out += "e" + (x < 0 ? "-" : "+") + String(abs(x)).leftPad(2)
            return out
        }
        if pointPos <= 0 {
            out += "0." + String(repeating: "0", count: -pointPos) + digitsStr
        } else if pointPos >= nd {
            out += digitsStr + String(repeating: "0", count: pointPos - nd)
        } else {
            let idx = digitsStr.index(digitsStr.startIndex, offsetBy: pointPos)
            out += digitsStr[..<idx] + "." + digitsStr[idx...]
        }
        return out
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
