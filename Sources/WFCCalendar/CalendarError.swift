/// Why a working-day calendar could not be loaded or could not answer a question.
public enum CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The calendar has no data for `year`. Returned for any question that involves a date in a
    /// year the calendar file does not list — the calendar never guesses.
    case noData(year: Int)
    /// The calendar file is malformed. `path` locates the offending value in the JSON document
    /// (for example `years.2025.holidays[2].to`); it is empty when the problem concerns the whole
    /// document (not JSON, or not a JSON object).
    case invalid(path: String, message: String)
    /// The calendar `extends` a calendar id that is not known (neither built in nor supplied).
    case unknownBase(String)
    /// A computation left the supported range (years 1–9999) or overflowed.
    case outOfRange(String)

    public var description: String {
        switch self {
        case .noData(let year):
            return "no working-day calendar data for year \(year); the calendar file must list that year's holidays and make-up working days"
        case .invalid(let path, let message):
            return path.isEmpty ? "invalid calendar file: \(message)" : "invalid calendar file: \(path): \(message)"
        case .unknownBase(let id):
            return "the calendar extends \"\(id)\", which is not a known calendar (built in: \(WorkingCalendar.builtinIDs.joined(separator: ", ")))"
        case .outOfRange(let message):
            return message
        }
    }
}
