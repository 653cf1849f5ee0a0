import Foundation
import WFCIR

/// The validated content of one calendar file, before it is combined with its base calendar.
/// See docs/calendar.md for the format.
struct CalendarFile: Sendable {
    /// Where a day was declared, for error messages.
    struct Origin: Sendable {
        var path: String
        var name: String
    }

    var id: String
    var title: String
    var timezone: String?
    var weekend: Set<CalendarDate.Weekday>?
    var extends: String?
    /// `"provisional": "law"`: years after the last listed one are computed from the holiday law
    /// (see ``StatutoryHolidays``) until official data is added.
    var provisionalLaw = false
    /// Year → `source` text (may be absent).
    var sources: [Int: String?]
    /// Day number (days since 1970-01-01) → where it was declared a holiday.
    var holidays: [Int: Origin]
    /// Day number → where it was declared a make-up working day.
    var workdays: [Int: Origin]

    static let topLevelKeys: Set<String> = ["id", "title", "timezone", "weekend", "extends", "provisional", "years"]
    static let yearKeys: Set<String> = ["source", "holidays", "workdays"]
    static let entryKeys: Set<String> = ["name", "days", "from", "to"]

    /// Parses and validates a calendar file. Checks everything that can be checked without the
    /// base calendar; `WorkingCalendar.init` checks the rest.
    static func parse(_ root: JSONValue) throws(CalendarError) -> CalendarFile {
        guard case .object(let top) = root else {
            throw .invalid(path: "", message: "the file must contain one JSON object ({ … }), not \(root.kind)")
        }
        try checkKeys(top, allowed: topLevelKeys, at: "")

        let id = try requiredString(top, "id", at: "")
        guard id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }) else {
            throw .invalid(path: "id", message: "\"\(id)\" may only contain the letters a–z and A–Z, digits, \"-\", \"_\" and \".\"")
        }
        let title = try requiredString(top, "title", at: "")

        var extends: String?
        switch top["extends"] {
        case nil, .null?: extends = nil
        case .string(let s)?:
            guard !s.isEmpty else { throw .invalid(path: "extends", message: "must be a calendar id or null, not an empty string") }
            guard s != id else { throw .invalid(path: "extends", message: "a calendar cannot extend itself") }
            extends = s
        case let v?: throw .invalid(path: "extends", message: "must be a calendar id (a string) or null, not \(v.kind)")
        }

        var timezone: String?
        if let v = top["timezone"] {
            guard case .string(let s) = v, !s.isEmpty else {
                throw .invalid(path: "timezone", message: "must be an IANA time zone name such as \"Asia/Shanghai\", not \(v.kind)")
            }
            timezone = s
        } else if extends == nil {
            throw .invalid(path: "timezone", message: "is missing (an IANA time zone name such as \"Asia/Shanghai\"; only a calendar that extends another may leave it out)")
        }

        var weekend: Set<CalendarDate.Weekday>?
        if let v = top["weekend"] {
            guard case .array(let items) = v else {
                throw .invalid(path: "weekend", message: "must be a list of weekday names such as [\"saturday\", \"sunday\"], not \(v.kind)")
            }
            var set = Set<CalendarDate.Weekday>()
            for (i, item) in items.enumerated() {
                let p = "weekend[\(i)]"
                guard case .string(let s) = item else { throw .invalid(path: p, message: "must be a weekday name, not \(item.kind)") }
                guard let wd = CalendarDate.Weekday(name: s) else {
                    throw .invalid(path: p, message: "\"\(s)\" is not a weekday name (use lowercase English: monday, tuesday, wednesday, thursday, friday, saturday, sunday)")
                }
                guard set.insert(wd).inserted else { throw .invalid(path: p, message: "\"\(s)\" is listed twice") }
            }
            weekend = set
        } else if extends == nil {
            throw .invalid(path: "weekend", message: "is missing (for example [\"saturday\", \"sunday\"]; only a calendar that extends another may leave it out)")
        }

        guard let yearsValue = top["years"] else {
            throw .invalid(path: "years", message: "is missing (an object with one entry per year, such as {\"2025\": {…}})")
        }
        guard case .object(let yearsObject) = yearsValue else {
            throw .invalid(path: "years", message: "must be an object with one entry per year, such as {\"2025\": {…}}, not \(yearsValue.kind)")
        }

        var file = CalendarFile(id: id, title: title, timezone: timezone, weekend: weekend, extends: extends,
                                sources: [:], holidays: [:], workdays: [:])
        switch top["provisional"] {
        case nil, .null?: break
        case .string("law")?: file.provisionalLaw = true
        case .string(let other)?:
            throw .invalid(path: "provisional", message: "\"\(other)\" is not a provisional rule; the only one is \"law\" (compute a provisional year from the holiday law), or null")
        case let v?:
            throw .invalid(path: "provisional", message: "must be \"law\" (compute a provisional year from the holiday law) or null, not \(v.kind)")
        }
        // Sorted so that errors are reported in a stable order.
        for key in yearsObject.keys.sorted() {
            let yp = "years.\(key)"
            guard key.count == 4, key.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let year = Int(key), year >= 1 else {
                throw .invalid(path: yp, message: "\"\(key)\" is not a year (write it with four digits, such as \"2025\")")
            }
            guard case .object(let y)? = yearsObject[key] else {
                throw .invalid(path: yp, message: "must be an object with \"source\", \"holidays\" and \"workdays\", not \(yearsObject[key]?.kind ?? "nothing")")
            }
            try checkKeys(y, allowed: yearKeys, at: yp)
            var source: String?
            if let v = y["source"] {
                guard case .string(let s) = v else { throw .invalid(path: "\(yp).source", message: "must be a string, not \(v.kind)") }
                source = s
            }
            file.sources[year] = source
            for (i, entry) in try entries(y, "holidays", at: yp).enumerated() {
                for (day, origin) in try days(of: entry, year: year, at: "\(yp).holidays[\(i)]") {
                    if let other = file.workdays[day] {
                        throw conflict(day, holiday: origin, workday: other, reportAt: origin.path)
                    }
                    if file.holidays[day] == nil { file.holidays[day] = origin }
                }
            }
            for (i, entry) in try entries(y, "workdays", at: yp).enumerated() {
                for (day, origin) in try days(of: entry, year: year, at: "\(yp).workdays[\(i)]") {
                    if let other = file.holidays[day] {
                        throw conflict(day, holiday: other, workday: origin, reportAt: origin.path)
                    }
                    if file.workdays[day] == nil { file.workdays[day] = origin }
                }
            }
        }
        return file
    }

    private static func conflict(_ day: Int, holiday: Origin, workday: Origin, reportAt path: String) -> CalendarError {
        let d = CalendarDate(daysSinceEpoch: day).map(String.init(describing:)) ?? String(day)
        let other = path == holiday.path ? workday : holiday
        return .invalid(path: path, message: "\(d) is listed both as a day off (\"\(holiday.name)\") and as a working day (\"\(workday.name)\"); the other entry is at \(other.path)")
    }

    private static func checkKeys(_ object: [String: JSONValue], allowed: Set<String>, at path: String) throws(CalendarError) {
        if let bad = object.keys.filter({ !allowed.contains($0) }).sorted().first {
            let expected = allowed.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw .invalid(path: join(path, bad), message: "unknown key \"\(bad)\" (expected one of \(expected))")
        }
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func requiredString(_ object: [String: JSONValue], _ key: String, at path: String) throws(CalendarError) -> String {
        guard let v = object[key] else { throw .invalid(path: join(path, key), message: "is missing") }
        guard case .string(let s) = v else { throw .invalid(path: join(path, key), message: "must be a string, not \(v.kind)") }
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalid(path: join(path, key), message: "must not be empty") }
        return s
    }

    private static func entries(_ year: [String: JSONValue], _ key: String, at path: String) throws(CalendarError) -> [[String: JSONValue]] {
        guard let v = year[key] else { return [] }
        guard case .array(let items) = v else {
            throw .invalid(path: "\(path).\(key)", message: "must be a list of entries such as {\"name\": …, \"from\": …, \"to\": …}, not \(v.kind)")
        }
        var out: [[String: JSONValue]] = []
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else {
                throw .invalid(path: "\(path).\(key)[\(i)]", message: "must be an object such as {\"name\": …, \"days\": […]}, not \(item.kind)")
            }
            out.append(o)
        }
        return out
    }

    /// The days an entry covers, each with the JSON path that declared it.
    private static func days(of entry: [String: JSONValue], year: Int, at path: String) throws(CalendarError) -> [(Int, Origin)] {
        try checkKeys(entry, allowed: entryKeys, at: path)
        let name = try requiredString(entry, "name", at: path)
        let hasRange = entry["from"] != nil || entry["to"] != nil
        if let daysValue = entry["days"] {
            guard !hasRange else {
                throw .invalid(path: path, message: "use either \"days\" or \"from\"/\"to\" in one entry, not both")
            }
            guard case .array(let items) = daysValue else {
                throw .invalid(path: "\(path).days", message: "must be a list of dates such as [\"\(year)-01-01\"], not \(daysValue.kind)")
            }
            guard !items.isEmpty else { throw .invalid(path: "\(path).days", message: "must list at least one date") }
            var out: [(Int, Origin)] = []
            for (i, item) in items.enumerated() {
                let p = "\(path).days[\(i)]"
                let d = try date(item, year: year, at: p)
                out.append((d.daysSinceEpoch, Origin(path: p, name: name)))
            }
            return out
        }
        guard hasRange else {
            throw .invalid(path: path, message: "needs either \"days\": [dates] or \"from\" and \"to\"")
        }
        guard let fromValue = entry["from"] else {
            throw .invalid(path: "\(path).from", message: "is missing (\"to\" needs a matching \"from\")")
        }
        guard let toValue = entry["to"] else {
            throw .invalid(path: "\(path).to", message: "is missing (\"from\" needs a matching \"to\")")
        }
        let from = try date(fromValue, year: year, at: "\(path).from")
        let to = try date(toValue, year: year, at: "\(path).to")
        guard from <= to else {
            throw .invalid(path: "\(path).to", message: "\(to) is before \"from\" (\(from))")
        }
        let origin = Origin(path: path, name: name)
        return (from.daysSinceEpoch...to.daysSinceEpoch).map { ($0, origin) }
    }

    private static func date(_ v: JSONValue, year: Int, at path: String) throws(CalendarError) -> CalendarDate {
        guard case .string(let s) = v else {
            throw .invalid(path: path, message: "must be a date written as a string \"YYYY-MM-DD\", not \(v.kind)")
        }
        let shapeOK = s.utf8.count == 10 && s.utf8.enumerated().allSatisfy { i, c in
            (i == 4 || i == 7) ? c == UInt8(ascii: "-") : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
        }
        guard shapeOK, let d = CalendarDate(parsing: s) else {
            throw .invalid(path: path, message: "\"\(s)\" is not a valid date (expected YYYY-MM-DD, such as \"\(year)-01-01\")")
        }
        guard d.year == year else {
            throw .invalid(path: path, message: "\(s) is not in \(year); list it under \"\(String(d.year))\" (a range that crosses the new year must be split)")
        }
        return d
    }
}
