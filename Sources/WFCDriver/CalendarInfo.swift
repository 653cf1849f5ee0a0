import Foundation
import WFCCalendar
import WFCIR

/// `wfc calendar [ID]`: the years a calendar covers, where each year's data comes from, and
/// the next year without data.
public enum CalendarInfo {
    /// One calendar's description. `origin` says where it was found (built in, a file, a workflow).
    public static func describe(_ cal: WorkingCalendar, origin: String, today: Date) -> String {
        var out = "calendar \(cal.id): \(cal.title) (\(origin))\n"
        let weekend = cal.weekend.sorted { $0.rawValue < $1.rawValue }.map(\.name)
        out += "time zone \(cal.timeZone.identifier); weekend: \(weekend.isEmpty ? "none" : weekend.joined(separator: ", "))"
            + (cal.baseID.map { "; extends \($0)" } ?? "") + "\n"
        guard let years = cal.years else {
            return out + "no years: every working-day question is an error until a year is added\n"
        }
        for y in years {
            if cal.provisionalYears.contains(y) {
                out += "  \(y)  provisional  \(cal.sources[y] ?? StatutoryHolidays.source)\n"
                if let days = StatutoryHolidays.daysOff(year: y, weekend: cal.weekend) {
                    out += "        " + days.map { "\($0.name) \(span($0.days))" }.joined(separator: "; ") + "\n"
                }
                out += "        \(StatutoryHolidays.provisionalNote(year: y))\n"
            } else {
                out += "  \(y)  official     \(cal.sources[y] ?? "(no source given)")\n"
            }
        }
        let gap = years.upperBound + 1
        var line = "next gap: \(gap) (no data from \(gap)-01-01"
        if let today = try? cal.localDate(today), let first = CalendarDate(year: gap, month: 1, day: 1) {
            let left = first.daysSinceEpoch - today.daysSinceEpoch
            line += left > 0 ? ", \(left) day\(left == 1 ? "" : "s") from today, \(today))" : "; today is \(today))"
        } else {
            line += ")"
        }
        out += line + "\n"
        if cal.provisionalYears.isEmpty, StatutoryHolidays.supportedYears.contains(gap) {
            out += "  add \(gap) when the State Council publishes it, or opt into a provisional \(gap) from the holiday law (`provisional: law`; see docs/calendar.md)\n"
        }
        return out
    }

    /// Every calendar a workflow at `directory` can name: the built-in ones, then the files in
    /// the repository's calendars/ folder, one line each.
    public static func list(from directory: String, today: Date, lookup: CalendarLookup = CalendarLookup()) -> String {
        var out = ""
        for id in WorkingCalendar.builtinIDs {
            if let cal = WorkingCalendar.builtin(id) { out += summary(cal, origin: "built in") }
        }
        guard let root = CalendarLookup.root(for: directory + "/_", explicit: lookup.root) else {
            return out + "(no repository above \(directory): company calendars live in calendars/ID.json at a folder with .git or .wfc.yaml)\n"
        }
        let folder = root + "/" + CalendarLookup.folder
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        for name in names {
            let id = String(name.dropLast(5))
            if WorkingCalendar.builtinIDs.contains(id) { continue }
            switch lookup.resolve(id, workflowPath: root + "/_", provisional: false) {
            case .success(let cal): out += summary(cal, origin: "\(CalendarLookup.folder)/\(name)")
            case .failure(let e): out += "\(id)  unusable: \(e.description)\n"
            }
        }
        return out
    }

    static func summary(_ cal: WorkingCalendar, origin: String) -> String {
        let covered = cal.years.map { "\($0.lowerBound)–\($0.upperBound)" } ?? "no years"
        let provisional = cal.provisionalYears.sorted().map(String.init).joined(separator: ", ")
        return "\(cal.id)  \(covered)\(provisional.isEmpty ? "" : " (\(provisional) provisional)")  \(cal.title)  [\(origin)]\n"
    }

    /// `2027-02-05–02-08` for consecutive days, else the dates one by one.
    static func span(_ days: [CalendarDate]) -> String {
        guard let first = days.first, let last = days.last, first != last,
              last.daysSinceEpoch - first.daysSinceEpoch == days.count - 1 else { return days.map(\.description).joined(separator: ", ") }
        return "\(first)–\(String(last.description.dropFirst(5)))"
    }
}
