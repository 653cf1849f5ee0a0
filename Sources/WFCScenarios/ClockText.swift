import Foundation
import WFCCalendar
import WFCCompiler
import WFCIR

/// Times as scenario files and `--now` options write them, and clock arithmetic for
/// "3 working days later".
public enum ClockText {
    /// Parses RFC 3339 (`2025-09-26T10:00:00+08:00`, `…Z`, optional fractional seconds), the
    /// same without seconds or offset (`2025-09-26 10:00`, local time in `timeZone`), or a bare
    /// date (`2025-09-26`, meaning 09:00 that day in `timeZone`: a working morning). Strict:
    /// `2025-02-30` and `+08:0` are errors, not guesses.
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let d = CalendarDate(parsing: t) { return local(d, 9 * 3600, timeZone) }
        let u = Array(t.utf8)
        guard u.count >= 16, let day = CalendarDate(parsing: String(decoding: u[0..<10], as: UTF8.self)),
              u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: "t") || u[10] == UInt8(ascii: " ") else { return nil }
        var i = 11
        func number(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for b in u[i..<(i + n)] {
                guard b >= 48, b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            i += n
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < u.count, u[i] == c.asciiValue else { return false }
            i += 1
            return true
        }
        guard let h = number(2), expect(":"), let m = number(2), h < 24, m < 60 else { return nil }
        var sec = 0
        var fraction = 0.0
        if expect(":") {
            guard let s = number(2), s < 60 else { return nil }
            sec = s
            if expect(".") {
                let startDigits = i
                while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
                guard i > startDigits, let f = Double("0." + String(decoding: u[startDigits..<i], as: UTF8.self)) else { return nil }
                fraction = f
            }
        }
        let clock = h * 3600 + m * 60 + sec
        if i == u.count { return local(day, clock, timeZone)?.addingTimeInterval(fraction) }
        var offset = 0
        if expect("Z") || expect("z") {
            offset = 0
        } else {
            let sign: Int
            if expect("+") { sign = 1 } else if expect("-") { sign = -1 } else { return nil }
            guard let oh = number(2), expect(":"), let om = number(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        }
        guard i == u.count else { return nil }
        let seconds = Double(day.daysSinceEpoch) * 86_400 + Double(clock - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// True when `text` ends with a UTC offset (`Z`, `+08:00`): its instant does not depend
    /// on a time zone.
    public static func hasOffset(_ text: String) -> Bool {
        let u = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        guard u.count > 10, let last = u.last else { return false }
        if last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") { return true }
        return u.count >= 16 && (u[u.count - 6] == UInt8(ascii: "+") || u[u.count - 6] == UInt8(ascii: "-")) && u[u.count - 3] == UInt8(ascii: ":")
    }

    private static func local(_ d: CalendarDate, _ secondsIntoDay: Int, _ timeZone: TimeZone) -> Date? {
        var g = Calendar(identifier: .gregorian)
        g.timeZone = timeZone
        return g.date(from: DateComponents(year: d.year, month: d.month, day: d.day))?.addingTimeInterval(TimeInterval(secondsIntoDay))
    }

    /// `date` as RFC 3339 in `timeZone` (`2025-09-26T10:00:00+08:00`), as times are shown to people.
    public static func format(_ date: Date, timeZone: TimeZone) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = timeZone
        return f.string(from: date)
    }

    /// Forms accepted by ``parse(_:timeZone:)``, for error messages.
    public static let forms = "an RFC 3339 time such as 2025-09-26T10:00:00+08:00, a local time such as 2025-09-26 10:00, or a date such as 2025-09-26"

    /// `date` moved on by `duration`. Working days keep the time of day and land on the N-th
    /// working day after the local date (make-up working days count, holidays do not); other
    /// units follow the calendar's time zone.
    public static func advance(_ date: Date, by duration: DurationSyntax, calendar: WorkingCalendar?) throws(CalendarError) -> Date {
        var g = Calendar(identifier: .gregorian)
        g.timeZone = calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? g.timeZone
        let n = duration.amount
        switch duration.unit {
        case .workingDays:
            guard let calendar else { throw CalendarError.outOfRange("working days need a calendar; the workflow names none") }
            guard n > 0 else { return date }
            let local = try calendar.localDate(date)
            let sinceMidnight = date.timeIntervalSince(calendar.startOfDay(local))
            return calendar.startOfDay(try calendar.addWorkingDays(local, n)).addingTimeInterval(sinceMidnight)
        case .days: return g.date(byAdding: .day, value: n, to: date) ?? date
        case .weeks: return g.date(byAdding: .day, value: 7 * n, to: date) ?? date
        case .months: return g.date(byAdding: .month, value: n, to: date) ?? date
        case .hours: return date.addingTimeInterval(TimeInterval(n) * 3600)
        case .minutes: return date.addingTimeInterval(TimeInterval(n) * 60)
        }
    }
}
