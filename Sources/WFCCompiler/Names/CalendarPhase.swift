import Foundation
import WFCCalendar
import WFCDiagnostics
import WFCIR

/// Resolves the workflow's `calendar:` (built in, or the repository's calendars/ID.json), pins
/// its data in the IR, and warns when the data runs out soon.
enum CalendarPhase {
    /// Days before the end of a calendar's data from which `wfc check` warns.
    static let horizonDays = 60

    static func run(_ syntax: WorkflowSyntax, ir: inout WorkflowIR, path: String, lookup: CalendarLookup,
                    pinData: Bool, warningsAsOf: Date?, _ d: inout [Diagnostic]) {
        guard let name = syntax.calendar else { return }
        switch lookup.resolve(name.value, workflowPath: path, provisional: syntax.calendarProvisional != nil) {
        case .success(let cal):
            if pinData { ir.calendarData = cal.ir }
            if let now = warningsAsOf, let w = horizonWarning(cal, now: now, at: name.span, provisionalOptIn: syntax.calendarProvisional != nil) {
                d.append(w)
            }
        case .failure(.notFound(let id, let searched)):
            let ids = WorkingCalendar.builtinIDs
            // No absolute path in the message: it is the same on every machine.
            let help = Suggestions.didYouMean(id, ids)
                ?? "built in: \(ids.joined(separator: ", ")); a company calendar is the file calendars/\(id).json at the repository root (the nearest folder above the workflow with .git or .wfc.yaml)"
                + (searched == nil ? ", and this workflow is in no repository" : ", and there is no such file")
            d.append(Diagnostic(UnknownCalendar(name: id), at: name.span, help: help))
        case .failure(let e):
            d.append(Diagnostic(CalendarFileUnusable(reason: e.description), at: name.span, label: "this calendar",
                                help: "see docs/calendar.md for the file format and where the file may be"))
        }
    }

    /// The warning when `cal`'s data ends within ``horizonDays`` days of `now` (or has ended).
    static func horizonWarning(_ cal: WorkingCalendar, now: Date, at span: SourceSpan, provisionalOptIn: Bool) -> Diagnostic? {
        guard let today = try? cal.localDate(now) else { return nil }
        guard let last = cal.lastCoveredDate else {
            return Diagnostic(CalendarEndsSoon(id: cal.id, detail: "has no data for any year"), at: span,
                              help: "list the current year in the calendar file")
        }
        let left = last.daysSinceEpoch - today.daysSinceEpoch
        guard left <= horizonDays else { return nil }
        let next = last.year + 1
        let detail = left < 0
            ? "ended on \(last) (today is \(today)): no working-day deadline can be computed"
            : "ends on \(last), \(left) day\(left == 1 ? "" : "s") from today (\(today)): from then on no working-day deadline reaching \(next) can be computed"
        var help = WorkingCalendar.builtinIDs.contains(cal.id)
            ? "when the State Council publishes \(next), name a company calendar that extends `\(cal.id)` and adds it (calendars/ID.json; see docs/calendar.md)"
            : "add \(next) to the calendar file when the State Council publishes it (see docs/calendar.md)"
        if cal.provisionalYears.isEmpty && !provisionalOptIn && StatutoryHolidays.supportedYears.contains(next) {
            help += ", or opt into a provisional \(next) computed from the holiday law: `calendar: {id: \(cal.id), provisional: law}`"
        }
        return Diagnostic(CalendarEndsSoon(id: cal.id, detail: detail), at: span, help: help)
    }

    static let descriptors = [CalendarFileUnusable.descriptor, CalendarEndsSoon.descriptor]
}

struct CalendarFileUnusable: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3020", name: "calendar-file-unusable", summary: "The company calendar file the workflow names cannot be used.",
        explanation: """
            A calendar that is not built in is read from `calendars/ID.json` at the root of the repository \
            that holds the workflow (the nearest folder above it with `.git` or `.wfc.yaml`). The file must \
            be a valid calendar file (docs/calendar.md), its `id` must equal its file name, and it is read \
            only when it is a regular file inside the repository (a symlink must not lead out of it) of \
            at most 1 MiB.
            """,
        example: "# calendars/acme-cn.json: {\"id\": \"acme\", \"title\": \"Acme\", \"extends\": \"cn-mainland\", \"years\": {}}\ncalendar: acme-cn\n",
        fix: "# calendars/acme-cn.json: {\"id\": \"acme-cn\", \"title\": \"Acme\", \"extends\": \"cn-mainland\", \"years\": {}}\ncalendar: acme-cn\n")
    var reason: String
    var message: String { "cannot use the calendar: \(reason)" }
}

struct CalendarEndsSoon: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3021", severity: .warning, name: "calendar-ends-soon",
        summary: "The workflow's calendar data ends within 60 days.",
        explanation: """
            Working-day deadlines need the holidays of every year they reach. A calendar has data only for \
            the years its file lists; when a deadline runs into a later year the case is refused (WFC6017). \
            `wfc check` warns 60 days ahead, counting from today's date in the calendar's time zone. Add \
            the next year when the State Council publishes it (in a company calendar file that extends \
            `cn-mainland`, or in wfc's own data), or opt into a provisional year computed from the holiday \
            law, which can be off by about a week because it knows no make-up working days (调休).
            """,
        example: "# checked on 2026-12-04; cn-mainland has data up to 2026-12-31\ncalendar: cn-mainland\n",
        fix: "calendar: {id: cn-mainland, provisional: law}\n")
    var id: String
    var detail: String
    var message: String { "the data of calendar `\(id)` \(detail)" }
}
