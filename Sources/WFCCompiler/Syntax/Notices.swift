import WFCDiagnostics
import WFCYAML

/// `remind:` (催办) as written, on a state or under its `due:`.
public struct ReminderSyntax: Sendable {
    public var after: Spanned<DurationSyntax>?
    public var every: Spanned<DurationSyntax>?
    public var times: Spanned<Int>?
    /// Roles to remind instead of whoever has the open task.
    public var to: [Spanned<String>] = []
    /// Written under `due:`: the reminders stop at the deadline.
    public var underDue = false
    public var span: SourceSpan
    public var trace = TraceSyntax()
}

/// `cc:` (抄送) as written: roles notified on entering or leaving the state.
public struct CarbonCopySyntax: Sendable {
    public var enter: [Spanned<String>] = []
    public var leave: [Spanned<String>] = []
    public var span: SourceSpan
    public var trace = TraceSyntax()
}

extension WorkflowParser {
    static let remindKeys: KeySet = ["after", "every", "times", "to", "clause", "assumption"]
    static let ccKeys: KeySet = ["enter", "leave", "clause", "assumption"]

    /// The state's `remind:` (or its deadline's) and `cc:`.
    mutating func parseNotices(_ m: MappingReader, due: YAMLNode?, state: String) -> (ReminderSyntax?, CarbonCopySyntax?) {
        var remind = m.value("remind").flatMap { parseRemind($0, state: state, underDue: false) }
        if let due, due.mapping != nil, let r = due["remind"] {
            if remind != nil {
                d.append(Diagnostic(ConflictingKeys(a: "remind", b: "due.remind", context: "state `\(state)`"), at: r.span.in(file),
                                    label: "a second reminder schedule", notes: ["a state has one reminder schedule"]))
            } else {
                remind = parseRemind(r, state: state, underDue: true)
            }
        }
        let cc = m.value("cc").map { parseCarbonCopy($0, state: state) }
        return (remind, cc)
    }

    mutating func parseRemind(_ node: YAMLNode, state: String, underDue: Bool) -> ReminderSyntax? {
        var r = ReminderSyntax(underDue: underDue, span: node.span.in(file))
        if node.scalar != nil {
            // `remind: 1 working day`: after one working day, and every working day after that.
            r.after = duration(node)
            r.every = r.after
        } else {
            guard let rm = MappingReader(node, file: file, context: MappingContext("the reminders of", state), known: Self.remindKeys, diagnostics: &d) else { return nil }
            r.trace = trace(rm)
            if let a = rm.value("after") { r.after = duration(a) } else { rm.missing("after", &d) }
            if let e = rm.value("every") { r.every = duration(e) }
            r.times = rm.int("times", &d)
            r.to = rm.stringList("to", &d) ?? []
            if let t = r.times, t.value < 1 {
                d.append(Diagnostic(ReminderNotPositive(what: "`times`", value: String(t.value)), at: t.span, label: "no reminder would be sent",
                                    help: "give 1 or more, or leave `times` out to remind until the task is done"))
            }
        }
        for (key, dur) in [("after", r.after), ("every", r.every)] {
            guard let dur else { continue }
            if dur.value.unit != .workingDays {
                d.append(Diagnostic(ReminderNotWorkingDays(key: key, text: "\(dur.value.amount) \(dur.value.unit.rawValue)"), at: dur.span, label: "not working days",
                                    help: "write it in working days (`N working days` or `N个工作日`)"))
            } else if dur.value.amount < 1 {
                d.append(Diagnostic(ReminderNotPositive(what: "`\(key)`", value: "\(dur.value.amount) working days"), at: dur.span, label: "not after entering the state",
                                    help: "give 1 working day or more"))
            }
        }
        return r
    }

    mutating func parseCarbonCopy(_ node: YAMLNode, state: String) -> CarbonCopySyntax {
        var c = CarbonCopySyntax(span: node.span.in(file))
        if node.mapping == nil {
            // `cc: [hr]` or `cc: hr`: copied when the state is entered.
            c.enter = MappingReader.stringList(node, what: "`cc`", file: file, &d)
        } else if let cm = MappingReader(node, file: file, context: MappingContext("the copies of", state), known: Self.ccKeys, diagnostics: &d) {
            c.trace = trace(cm)
            c.enter = cm.stringList("enter", &d) ?? []
            c.leave = cm.stringList("leave", &d) ?? []
        }
        if c.enter.isEmpty && c.leave.isEmpty {
            d.append(Diagnostic(EmptyList(what: "`cc` (give the roles to copy on `enter` and/or `leave`)"), at: c.span))
        }
        return c
    }

    /// A transition's `back_to:` list; `to:` and `back_to:` exclude each other.
    mutating func parseBackTo(_ m: MappingReader) -> [Spanned<String>] {
        guard m.has("back_to") else { return [] }
        if m.has("to") { m.conflict("to", "back_to", &d, reason: "the reviewer chooses the target from `back_to`") }
        let list = m.stringList("back_to", &d) ?? []
        if list.isEmpty, let v = m.value("back_to") {
            d.append(Diagnostic(EmptyList(what: "`back_to` (list the steps the case may be sent back to)"), at: v.span.in(file)))
        }
        return list
    }
}

struct ReminderNotPositive: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2026", name: "reminder-not-positive", summary: "A reminder interval or count is zero or negative.",
        explanation: """
            `remind: {after: …, every: …, times: …}` sends the first reminder `after` working days \
            from entering the state, then one `every` interval, at most `times` in all. A zero \
            interval would remind at the moment the task opens (or without end at one instant), \
            and zero times would remind nobody.
            """,
        example: "remind: {after: 0 working days, every: 1 working day}\n",
        fix: "remind: {after: 2 working days, every: 1 working day}\n")
    var what: String
    var value: String
    var message: String { "reminder \(what) must be positive, not \(value)" }
}

struct ReminderNotWorkingDays: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2027", name: "reminder-not-working-days", summary: "A reminder interval is not in working days.",
        explanation: """
            Reminders (催办) follow the workflow's calendar: they are counted in working days, so \
            that nobody is chased over a weekend or a public holiday. Write `after` and `every` \
            as `N working days` (or `N个工作日`); the workflow needs a `calendar:`.
            """,
        example: "remind: {after: 2 days, every: 1 day}\n",
        fix: "remind: {after: 2 working days, every: 1 working day}\n")
    var key: String
    var text: String
    var message: String { "reminder `\(key)` must be in working days, not `\(text)`" }
}
