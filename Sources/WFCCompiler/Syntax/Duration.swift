import WFCIR
import WFCYAML

/// Parses durations as HR writes them: `3 working days`, `1 working day`, `2 weeks`,
/// `4 hours`, `1 month`, and the Chinese forms `3个工作日`, `3 工作日`, `2天`, `2 周`,
/// `1个月`, `4小时`.
public enum DurationParser {
    static let englishUnits: [String: DurationSyntax.Unit] = [
        "working day": .workingDays, "working days": .workingDays,
        "workday": .workingDays, "workdays": .workingDays,
        "day": .days, "days": .days, "calendar day": .days, "calendar days": .days,
        "week": .weeks, "weeks": .weeks,
        "hour": .hours, "hours": .hours,
        "minute": .minutes, "minutes": .minutes,
        "month": .months, "months": .months,
    ]
    static let chineseUnits: [String: DurationSyntax.Unit] = [
        "个工作日": .workingDays, "工作日": .workingDays,
        "天": .days, "日": .days, "个自然日": .days, "自然日": .days,
        "周": .weeks, "个星期": .weeks, "星期": .weeks,
        "小时": .hours, "个小时": .hours,
        "分钟": .minutes,
        "个月": .months, "月": .months,
    ]

    /// The duration `text` names, or nil when it is not one.
    public static func parse(_ text: String) -> DurationSyntax? {
        if let ascii = parseASCII(text) { return ascii }
        let t = text.trimmingWhitespace()
        var digits = ""
        var rest = Substring(t)
        while let c = rest.first, c.isASCII, c.isNumber {
            digits.append(c)
            rest = rest.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 6, let n = Int(digits) else { return nil }
        let unit = String(rest).trimmingWhitespace()
        let folded = unit.lowercased().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if let u = englishUnits[folded] ?? chineseUnits[unit] {
            return DurationSyntax(amount: n, unit: u)
        }
        return nil
    }

    /// The same parse on UTF-8 bytes when `text` is ASCII (the common `3 working days`),
    /// which avoids grapheme breaking; nil (not `.some(nil)`) when `text` is not ASCII.
    static func parseASCII(_ text: String) -> DurationSyntax?? {
        var text = text
        return text.withUTF8 { b -> DurationSyntax?? in
            guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
            func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
            var lo = 0
            var hi = b.count
            while lo < hi, isSpace(b[lo]) { lo += 1 }
            while hi > lo, isSpace(b[hi - 1]) { hi -= 1 }
            var n = 0
            let digitsStart = lo
            while lo < hi, b[lo] >= 0x30, b[lo] <= 0x39 {
                n = n &* 10 &+ Int(b[lo] - 0x30)
                lo += 1
            }
            guard lo > digitsStart, lo - digitsStart <= 6 else { return .some(nil) }
            while lo < hi, isSpace(b[lo]) { lo += 1 }
            // Lower-cased, runs of spaces collapsed: the key of `englishUnits`, compared as a
            // packed code (every English unit fits in one). No allocation.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(hi - lo, 1)) { folded -> DurationSyntax?? in
                var count = 0
                for c in b[lo..<hi] {
                    if c == 0x20 {
                        if count == 0 || folded[count - 1] != 0x20 { folded[count] = c; count += 1 }
                    } else {
                        folded[count] = c >= 0x41 && c <= 0x5A ? c + 0x20 : c
                        count += 1
                    }
                }
                if count > 0 && folded[count - 1] == 0x20 { count -= 1 }
                // Chinese units are not ASCII, so only the English table can match.
                guard let code = YAMLKeyCode(utf8: UnsafeBufferPointer(rebasing: folded[..<count])) else { return .some(nil) }
                for (unitCode, unit) in englishUnitCodes where unitCode == code { return .some(DurationSyntax(amount: n, unit: unit)) }
                return .some(nil)
            }
        }
    }

    /// ``englishUnits`` by packed code (each name is at most 15 bytes).
    static let englishUnitCodes: [(YAMLKeyCode, DurationSyntax.Unit)] = englishUnits.compactMap { name, unit in
        YAMLKeyCode(name).map { ($0, unit) }
    }

    /// Examples for error messages.
    public static var examples: String { "`3 working days`, `2 days`, `1 week`, `4 hours`, `1 month`, `3个工作日`" }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
