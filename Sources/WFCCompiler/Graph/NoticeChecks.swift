import WFCIR
import WFCDiagnostics

/// Reminders (催办): someone to remind, and reminders the deadline does not cut off.
enum ReminderChecks: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        for s in g.ir.states {
            guard let r = s.remind else { continue }
            // Without `to:` the reminders go to whoever has the open task: a task's event roles
            // or a sign-off's parties.
            let hasTask = (s.kind == .task && s.transitions.contains { !$0.roles.isEmpty }) || s.kind == .signoff
            if r.to == nil && !hasTask {
                d.append(Diagnostic(ReminderNobody(state: s.name, kind: s.kind.rawValue), at: g.source(r.span), label: "nobody has a task here",
                                    help: "name the roles to remind with `to:` under `remind:`, or move the reminders to the state where someone acts"))
            }
            // Under `due:` the reminders stop at the deadline; one that would come at or after
            // it is never sent.
            if r.untilDeadline == true, let w = s.due?.within, w.unit == r.after.unit, r.after.amount >= w.amount {
                d.append(Diagnostic(ReminderAfterDeadline(state: s.name, after: r.after.amount, within: w.amount), at: g.source(r.span),
                                    label: "the first reminder is due when the deadline has passed",
                                    help: "remind earlier than the deadline (`after:` under \(w.amount) working days), or move `remind:` out of `due:` to remind after the escalation too"))
            }
        }
    }

    static let descriptors = [ReminderNobody.descriptor, ReminderAfterDeadline.descriptor]
}

/// 退回到指定步骤: each `back_to:` target is an earlier step, and the choice does not clash
/// with a case field.
enum BackToChecks: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        var uses: SpanIR?
        for s in g.ir.states {
            var checked: [Int] = []
            for t in s.transitions where t.backTo == true {
                uses = uses ?? t.span
                guard let target = t.target, !checked.contains(target) else { continue }
                checked.append(target)
                // Earlier: the case can come back to this state from the target.
                let back = target != s.id && g.reachable(from: target).contains(s.id)
                if !back {
                    d.append(Diagnostic(BackToNotEarlier(event: t.event, state: s.name, target: g.name(target)), at: g.source(t.span),
                                        label: "`\(g.name(target))` does not lead back to `\(s.name)`",
                                        secondary: [Label(g.span(target), "the target")],
                                        help: "list only steps the case passed on its way to `\(s.name)`; for a step forward use `to:`"))
                }
            }
        }
        if let uses, let f = g.ir.fields.first(where: { $0.name == TransitionIR.backToDataKey }) {
            d.append(Diagnostic(BackToFieldClash(), at: f.span.map(g.source) ?? g.source(uses), label: "a case field named `\(TransitionIR.backToDataKey)`",
                                secondary: [Label(g.source(uses), "a `back_to:` choice")],
                                help: "rename the field: the event's data key `\(TransitionIR.backToDataKey)` carries the chosen step"))
        }
    }

    static let descriptors = [BackToNotEarlier.descriptor, BackToFieldClash.descriptor]
}

struct ReminderNobody: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2028", name: "reminder-nobody", summary: "A reminder has nobody to remind.",
        explanation: """
            Without `to:`, `remind:` chases whoever has the open task of the state: the roles of \
            its events, or the parties of its sign-off that have not signed. A choice, a wait, a \
            parallel or foreach state, an automatic task and a final state have no such person; \
            name the roles to remind with `to:`.
            """,
        example: "waiting:\n  wait: {until: \"case.last_day\"}\n  then: done\n  remind: {after: 2 working days}\n",
        fix: "waiting:\n  wait: {until: \"case.last_day\"}\n  then: done\n  remind: {after: 2 working days, to: [hr]}\n")
    var state: String
    var kind: String
    var message: String { "the reminders of `\(state)` have nobody to remind (a \(kind) state has no task; give `to:`)" }
}

struct ReminderAfterDeadline: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5033", severity: .warning, name: "reminder-after-deadline", summary: "A deadline's reminders would all come after the deadline.",
        explanation: """
            `remind:` under `due:` is the first rung of a ladder: reminders until the deadline, \
            then the `overdue` escalation or transition. Reminders stop at the deadline, so a \
            first reminder at or after it is never sent.
            """,
        example: "due:\n  within: 3 working days\n  remind: {after: 3 working days}\n  overdue: {escalate: hr}\n",
        fix: "due:\n  within: 3 working days\n  remind: {after: 2 working days}\n  overdue: {escalate: hr}\n")
    var state: String
    var after: Int
    var within: Int
    var message: String { "the reminders of `\(state)` start after \(after) working days, but its deadline is \(within) working days" }
}

struct BackToNotEarlier: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5032", name: "back-to-not-earlier", summary: "A `back_to:` target is not an earlier step.",
        explanation: """
            `back_to:` lets the reviewer send the case back (退回) to a step of their choice. \
            Each target must be a step the case can come back from: a state of the same region \
            from which the reviewing state is reached again. A target that never leads back, or \
            the reviewing state itself, is not a send-back; use `to:` for a step forward.
            """,
        example: "review:\n  on:\n    reject: {by: manager, back_to: [apply, archive]}\n",
        fix: "review:\n  on:\n    reject: {by: manager, back_to: [apply, prepare]}\n")
    var event: String
    var state: String
    var target: String
    var message: String { "`back_to` of `\(event)` in `\(state)` names `\(target)`, which is not an earlier step" }
}

struct BackToFieldClash: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2029", name: "back-to-field", summary: "A case field is named `back_to` in a workflow that sends back.",
        explanation: """
            The reviewer gives the step to send the case back to in the event's data, under the \
            key `back_to`. A case field of that name could not be filled by such an event.
            """,
        example: "case:\n  back_to: string\n",
        fix: "case:\n  return_note: string\n")
    var message: String { "the case field `back_to` clashes with the data key of `back_to:` choices" }
}
