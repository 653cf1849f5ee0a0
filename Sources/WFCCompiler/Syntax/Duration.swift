import WFCIR

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
