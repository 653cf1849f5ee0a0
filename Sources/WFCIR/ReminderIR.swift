/// A state's reminder schedule (`remind:`, 催办): the first reminder `after` the state is
/// entered, then one `every` interval, at most `times` in all, until the state is left. Due
/// times are computed from the entry time, so a replay gives the same reminders.
public struct ReminderIR: Codable, Sendable, Equatable {
    public var after: DurationIR
    /// Nil: one reminder only.
    public var every: DurationIR?
    /// The most reminders to send; nil: until the state is left (or its deadline, see
    /// ``untilDeadline``).
    public var times: Int?
    /// Roles to remind instead of the people who have the open task; nil: those people.
    public var to: [Int]?
    /// True when written under `due:`: reminders stop at the deadline, where `overdue` takes over.
    public var untilDeadline: Bool?
    public var span: SpanIR
    public var clause: String?
    public var assumption: String?

    public init(after: DurationIR, every: DurationIR? = nil, times: Int? = nil, to: [Int]? = nil, untilDeadline: Bool? = nil, span: SpanIR) {
        self.after = after
        self.every = every
        self.times = times
        self.to = to
        self.untilDeadline = untilDeadline
        self.span = span
    }
}

/// Roles notified (抄送) when a state is entered or left. They get no task.
public struct CarbonCopyIR: Codable, Sendable, Equatable {
    /// Role ids notified on entry; nil when none.
    public var enter: [Int]?
    /// Role ids notified when the state is left; nil when none.
    public var leave: [Int]?
    public var span: SpanIR
    public var clause: String?
    public var assumption: String?

    public init(enter: [Int]? = nil, leave: [Int]? = nil, span: SpanIR) {
        self.enter = enter
        self.leave = leave
        self.span = span
    }
}

extension TransitionIR {
    /// The event data key that carries the step a `back_to:` event sends the case back to.
    public static let backToDataKey = "back_to"
}
