import CEL
import WFCCalendar
import WFCIR

/// Lets CEL's working-day functions use a ``WorkingCalendar``: a year with no data answers
/// nil, which CEL turns into the error "no calendar data for year N".
public struct CELWorkingDays: WorkingDayCalendar {
    public let calendar: WorkingCalendar

    public init(_ calendar: WorkingCalendar) {
        self.calendar = calendar
    }

    public func isWorkingDay(_ date: CELDate) -> Bool? {
        guard let d = CalendarDate(daysSinceEpoch: Int(date.daysSinceEpoch)) else { return nil }
        return calendar.workingDayStatus(d)
    }
}
