import Foundation

/// Calendar arithmetic in the proleptic Gregorian calendar (no Foundation needed for UTC).
enum CivilTime {
    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
    static func civilFromDays(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
    /// 0 = Sunday.
    static func weekday(days: Int64) -> Int64 {
        let w = (days + 4) % 7
        return w < 0 ? w + 7 : w
    }
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

/// Timestamp and duration parsing/formatting and time-zone handling.
enum CELTime {
    /// Parses RFC 3339, e.g. `2009-02-13T23:31:30Z` or `2009-02-13T23:31:30.123-08:00`.
    static func parseTimestamp(_ text: String) throws(CELEvalError) -> CELTimestamp {
        let b = Array(text.utf8)
        func bad() -> CELEvalError {
            CELEvalError(.conversion, "'\(text)' is not a valid timestamp; use a form like 2026-01-31T09:00:00Z.")
        }
        // Years above 9999 have more digits: detect them to report a range error.
        var yLen = 0
        while yLen < b.count, b[yLen] >= 48, b[yLen] <= 57 { yLen += 1 }
        if yLen > 4 { throw CELEvalError(.outOfRange, "The timestamp '\(text)' is out of range (years 1 to 9999).") }
        guard b.count >= 20, yLen == 4, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let y = digits(b, 0, 4), let mo = digits(b, 5, 2), let d = digits(b, 8, 2),
              let h = digits(b, 11, 2), let mi = digits(b, 14, 2), let s = digits(b, 17, 2) else { throw bad() }
        var i = 19
        var nanos: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var n = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if n < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                n += 1
                i += 1
            }
            if n == 0 { throw bad() }
            var k = n
            while k < 9 { nanos *= 10; k += 1 }
        }
        guard i < b.count else { throw bad() }
        var offset: Int64 = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"), let oh = digits(b, i + 1, 2), let om = digits(b, i + 4, 2),
                  oh < 24, om < 60 else { throw bad() }
            offset = Int64(oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            throw bad()
        }
        guard i == b.count else { throw bad() }
        if y == 0 { throw CELEvalError(.outOfRange, "The timestamp '\(text)' is out of range (years 1 to 9999).") }
        guard mo >= 1, mo <= 12, d >= 1, d <= CivilTime.daysInMonth(year: y, month: mo), h < 24, mi < 60, s < 60 else { throw bad() }
        let days = CivilTime.daysFromCivil(year: Int64(y), month: Int64(mo), day: Int64(d))
        let secs = days * 86400 + Int64(h * 3600 + mi * 60 + s) - offset
        let ts = CELTimestamp(seconds: secs, nanos: Int32(nanos))
        guard ts.inRange else { throw CELEvalError(.outOfRange, "The timestamp '\(text)' is out of range (years 1 to 9999).") }
        return ts
    }

    static func formatTimestamp(_ t: CELTimestamp) -> String {
        let days = CivilTime.floorDiv(t.seconds, 86400)
        let sod = t.seconds - days * 86400
        let c = CivilTime.civilFromDays(days)
        var s = pad(Int(c.year), 4) + "-" + pad(Int(c.month), 2) + "-" + pad(Int(c.day), 2) + "T"
        s += pad(Int(sod / 3600), 2) + ":" + pad(Int(sod / 60 % 60), 2) + ":" + pad(Int(sod % 60), 2)
        if t.nanos > 0 {
            var frac = pad(Int(t.nanos), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            s += "." + frac
        }
        return s + "Z"
    }

    /// Parses Go-style durations: `1h30m`, `-1.5s`, `100ms`, `2us`, `5ns`.
    static func parseDuration(_ text: String) throws(CELEvalError) -> CELDuration {
        let b = Array(text.utf8)
        func bad() -> CELEvalError {
            CELEvalError(.conversion, "'\(text)' is not a valid duration; use a form like 90m, 36h or 1.5s.")
        }
        var i = 0
        var neg = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            neg = b[i] == UInt8(ascii: "-")
            i += 1
        }
        if i == b.count { throw bad() }
        if b.count - i == 1, b[i] == UInt8(ascii: "0") { return CELDuration(seconds: 0) }
        // Accumulate in nanoseconds using Double-free integer math with overflow checks.
        var totalSecs: Int64 = 0
        var totalNanos: Int64 = 0
        let overflow = CELEvalError(.outOfRange, "The duration '\(text)' is out of range.")
        while i < b.count {
            var whole: Int64 = 0
            var any = false
            var bigWhole = false
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b[i] - 48))
                if o1 || o2 { bigWhole = true }
                whole = a
                any = true
                i += 1
            }
            var fracDigits: [UInt8] = []
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count, b[i] >= 48, b[i] <= 57 { fracDigits.append(b[i] - 48); any = true; i += 1 }
            }
            if !any { throw bad() }
            if bigWhole { throw overflow }
            var u = i
            while u < b.count, !(b[u] >= 48 && b[u] <= 57), b[u] != UInt8(ascii: ".") { u += 1 }
            let unit = String(decoding: b[i..<u], as: UTF8.self)
            i = u
            let unitNanos: Int64
            switch unit {
            case "h": unitNanos = 3_600_000_000_000
            case "m": unitNanos = 60_000_000_000
            case "s": unitNanos = 1_000_000_000
            case "ms": unitNanos = 1_000_000
            case "us", "µs", "μs": unitNanos = 1_000
            case "ns": unitNanos = 1
            default: throw bad()
            }
            // whole * unit, split into seconds and nanos.
            if unitNanos >= 1_000_000_000 {
                let perSec = unitNanos / 1_000_000_000
                let (s, o) = whole.multipliedReportingOverflow(by: perSec)
                if o { throw overflow }
                let (t, o2) = totalSecs.addingReportingOverflow(s)
                if o2 { throw overflow }
                totalSecs = t
            } else {
                let perUnit = 1_000_000_000 / unitNanos
                let (t, o2) = totalSecs.addingReportingOverflow(whole / perUnit)
                if o2 { throw overflow }
                totalSecs = t
                totalNanos += (whole % perUnit) * unitNanos
            }
            // Fraction: value = 0.d1d2... * unitNanos nanoseconds.
            var scale = unitNanos
            for d in fracDigits {
                if scale == 0 { break }
                // Keep precision by scaling digit-by-digit.
                totalNanos += Int64(d) * scale / 10
                scale /= 10
                if scale < 10 && scale > 0 {
                    // remaining digits contribute below 1ns granularity only through rounding; ignore
                }
            }
            let carry = totalNanos / 1_000_000_000
            totalNanos %= 1_000_000_000
            let (t2, o3) = totalSecs.addingReportingOverflow(carry)
            if o3 { throw overflow }
            totalSecs = t2
        }
        if neg { totalSecs = -totalSecs; totalNanos = -totalNanos }
        guard let d = CELDuration.normalized(seconds: totalSecs, nanos: totalNanos), d.inRange else { throw overflow }
        return d
    }

    static func formatDuration(_ d: CELDuration) -> String {
        var s = ""
        let neg = d.seconds < 0 || d.nanos < 0
        if neg { s = "-" }
        s += String(d.seconds.magnitude)
        if d.nanos != 0 {
            var frac = pad(Int(d.nanos.magnitude), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            s += "." + frac
        }
        return s + "s"
    }

    static func add(_ t: CELTimestamp, _ d: CELDuration) throws(CELEvalError) -> CELTimestamp {
        let (s, o) = t.seconds.addingReportingOverflow(d.seconds)
        var n = Int64(t.nanos) + Int64(d.nanos)
        var secs = s
        if n >= 1_000_000_000 { secs = secs &+ 1; n -= 1_000_000_000 }
        if n < 0 { secs = secs &- 1; n += 1_000_000_000 }
        let r = CELTimestamp(seconds: secs, nanos: Int32(n))
        guard !o, r.inRange else { throw CELEvalError(.outOfRange, "The resulting timestamp is out of range (years 1 to 9999).") }
        return r
    }

    static func negate(_ d: CELDuration) -> CELDuration {
        // Wrapping negation: Int64.min (only constructible by a host) stays out of range and is rejected later.
        CELDuration(seconds: 0 &- d.seconds, nanos: 0 &- d.nanos)
    }

    static func diff(_ a: CELTimestamp, _ b: CELTimestamp) throws(CELEvalError) -> CELDuration {
        let (secs, o) = a.seconds.subtractingReportingOverflow(b.seconds)
        guard !o, let d = CELDuration.normalized(seconds: secs, nanos: Int64(a.nanos) - Int64(b.nanos)), d.inRange else {
            throw CELEvalError(.outOfRange, "The difference between the timestamps is out of range.")
        }
        return d
    }

    static func addDurations(_ a: CELDuration, _ b: CELDuration) throws(CELEvalError) -> CELDuration {
        let (s, o) = a.seconds.addingReportingOverflow(b.seconds)
        guard !o, let d = CELDuration.normalized(seconds: s, nanos: Int64(a.nanos) + Int64(b.nanos)), d.inRange else {
            throw CELEvalError(.outOfRange, "The resulting duration is out of range.")
        }
        return d
    }

    /// Offset in seconds east of UTC for the zone at the given instant. Accepts IANA names
    /// ("Europe/Paris", "UTC") and fixed offsets ("+08:00", "-02:30", "02:00").
    static func offset(zone: String, at t: CELTimestamp) throws(CELEvalError) -> Int64 {
        let b = Array(zone.utf8)
        var i = 0
        var sign: Int64 = 1
        if let f = b.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            sign = f == UInt8(ascii: "-") ? -1 : 1
            i = 1
        }
        if b.count - i == 5, b[i + 2] == UInt8(ascii: ":"), let h = digits(b, i, 2), let m = digits(b, i + 3, 2), h < 24, m < 60 {
            return sign * Int64(h * 3600 + m * 60)
        }
        guard let tz = TimeZone(identifier: zone) else {
            throw CELEvalError(.invalidArgument, "'\(zone)' is not a known time zone; use a name like Europe/Paris or an offset like +08:00.")
        }
        let date = Date(timeIntervalSince1970: TimeInterval(t.seconds))
        return Int64(tz.secondsFromGMT(for: date))
    }

    struct Fields {
        var year: Int64, month: Int64, day: Int64, dayOfYear: Int64, weekday: Int64
        var hours: Int64, minutes: Int64, seconds: Int64, millis: Int64
    }

    static func fields(_ t: CELTimestamp, zone: String?) throws(CELEvalError) -> Fields {
        guard t.inRange else { throw CELEvalError(.outOfRange, "The timestamp is out of range (years 1 to 9999).") }
        let off = try zone.map { z throws(CELEvalError) in try offset(zone: z, at: t) } ?? 0
        let local = t.seconds + off
        let days = CivilTime.floorDiv(local, 86400)
        let sod = local - days * 86400
        let c = CivilTime.civilFromDays(days)
        let jan1 = CivilTime.daysFromCivil(year: c.year, month: 1, day: 1)
        return Fields(year: c.year, month: c.month, day: c.day, dayOfYear: days - jan1, weekday: CivilTime.weekday(days: days),
                      hours: sod / 3600, minutes: sod / 60 % 60, seconds: sod % 60, millis: Int64(t.nanos) / 1_000_000)
    }
}
