import WFCDiagnostics

/// The kinds of change `wfc diff` reports, one code each (WFC8100–WFC8199). For these codes
/// a descriptor's `example` is the old version and `fix` the new one.
public enum DiffDiagnostics {
    public static let all: [DiagnosticDescriptor] = [
        stateAdded, stateRemoved, stateChanged, transitionAdded, transitionRemoved, transitionChanged,
        requirementChanged, roleAdded, roleRemoved, separationChanged, fieldAdded, fieldRemoved, fieldChanged,
        deadlineChanged, signoffChanged, guaranteeChanged, roundLimitChanged, waitChanged, traceChanged,
        titleChanged, workflowChanged, roleChanged, noticeChanged,
    ]

    static func kind(_ code: String, _ severity: Severity, _ name: String, _ summary: String, _ explanation: String,
                     old: String, new: String) -> DiagnosticDescriptor {
        DiagnosticDescriptor(code: DiagnosticCode(code), severity: severity, name: name, summary: summary,
                             explanation: explanation, example: old, fix: new)
    }

    public static let stateAdded = kind(
        "WFC8101", .note, "state-added", "The new version has a state the old one does not.",
        "No running case can be in a state that did not exist, so adding one needs nothing from a migration. Cases reach it only through transitions, and a changed transition is reported on its own.",
        old: "states:\n  submit:\n    on:\n      submitted: {by: leaver, to: done}\n  done: {final: completed}\n",
        new: "states:\n  submit:\n    on:\n      submitted: {by: leaver, to: review}\n  review:\n    on:\n      approved: {by: manager, to: done}\n  done: {final: completed}\n")
    public static let stateRemoved = kind(
        "WFC8102", .warning, "state-removed", "A state of the old version is gone.",
        "Cases that are in the state when they move to the new version must be given a state of the new version to continue in. A state that was renamed shows as one state removed and one added.",
        old: "states:\n  submit:\n    on:\n      submitted: {by: leaver, to: review}\n  review:\n    on:\n      approved: {by: manager, to: done}\n  done: {final: completed}\n",
        new: "states:\n  submit:\n    on:\n      submitted: {by: leaver, to: done}\n  done: {final: completed}\n")
    public static let stateChanged = kind(
        "WFC8103", .warning, "state-changed", "A state changed its kind, its place (branch or foreach body) or its branches.",
        "A case active in the state keeps bookkeeping that belongs to its kind and place: signatures for a sign-off, branch tokens for a parallel state, items for a foreach. When the kind or the place changes, a migration must say how such a case continues.",
        old: "review:\n  on:\n    approved: {by: manager, to: done}\n",
        new: "review:\n  signoff: {all: [manager, hr]}\n  then: done\n")
    public static let transitionAdded = kind(
        "WFC8104", .note, "transition-added", "A state has an event it did not have.",
        "Cases in the state may take the new event once they run on the new version; nothing in them must change.",
        old: "review:\n  on:\n    approved: {by: manager, to: done}\n",
        new: "review:\n  on:\n    approved: {by: manager, to: done}\n    returned: {by: manager, to: submit}\n")
    public static let transitionRemoved = kind(
        "WFC8105", .note, "transition-removed", "A state no longer has an event it had.",
        "Cases in the state can no longer take the event; the compiler has proved the new version sound, so they can still finish another way.",
        old: "review:\n  on:\n    approved: {by: manager, to: done}\n    returned: {by: manager, to: submit}\n",
        new: "review:\n  on:\n    approved: {by: manager, to: done}\n")
    public static let transitionChanged = kind(
        "WFC8106", .note, "transition-changed", "An event's target, actors, guard, requirements, fills, assignments or violation changed.",
        "The event takes effect the new way from the next time it is fired; what cases did before stays in their audit log.",
        old: "approved: {by: manager, to: done}\n",
        new: "approved: {by: [manager, hr], to: done, when: \"case.days <= 3\"}\n")
    public static let requirementChanged = kind(
        "WFC8107", .note, "requirement-changed", "A state's `requires` changed.",
        "A stricter requirement applies to the next step that leaves the state; cases keep their data, and a requirement they do not meet refuses that step with the policy's message, as for any case.",
        old: "handover:\n  requires: {expr: \"has(case.receiver)\", message: 须指定接交人}\n",
        new: "handover:\n  requires:\n    - {expr: \"has(case.receiver)\", message: 须指定接交人}\n    - {all_done: checklist}\n")
    public static let roleAdded = kind(
        "WFC8108", .warning, "role-added", "The new version has a role the old one does not.",
        "Running cases have nobody bound to the new role, so a migration must name a person for it in each case (or the role must not be needed on the case's remaining path).",
        old: "roles:\n  leaver: {title: 交接人}\n  receiver: {title: 接交人}\n",
        new: "roles:\n  leaver: {title: 交接人}\n  receiver: {title: 接交人}\n  witness: {title: 监交人}\n")
    public static let roleRemoved = kind(
        "WFC8109", .note, "role-removed", "A role of the old version is gone.",
        "The person bound to it stays in each case's audit log; the new version gives the role nothing to do.",
        old: "roles:\n  leaver: {}\n  witness: {}\n", new: "roles:\n  leaver: {}\n")
    public static let separationChanged = kind(
        "WFC8110", .error, "separation-changed", "The roles that must be different people changed.",
        "A new separation may already be broken by the people bound in a running case (the same person in both roles): such a case must be checked and refused or rebound. A separation removed affects nobody.",
        old: "separate:\n  - {roles: [leaver, receiver]}\n", new: "separate:\n  - {roles: [leaver, receiver, witness]}\n")
    public static let fieldAdded = kind(
        "WFC8111", .warning, "field-added", "The case data has a new field.",
        "An optional field, or one with a default, needs nothing. A required field without a default needs a value for every running case: a migration gives it, e.g. as an expression over the old data.",
        old: "case:\n  leaver_name: string\n", new: "case:\n  leaver_name: string\n  last_day: date\n")
    public static let fieldRemoved = kind(
        "WFC8112", .note, "field-removed", "A field of the case data is gone.",
        "Its values stay in each case's audit log; the new version neither reads nor checks it.",
        old: "case:\n  leaver_name: string\n  phone: string\n", new: "case:\n  leaver_name: string\n")
    public static let fieldChanged = kind(
        "WFC8113", .error, "field-changed", "A field's type, optionality or default changed (one change each).",
        "A value that fits the old type may not fit the new one (a removed enum member, another type): such cases must be checked and their value converted, or they are refused. A field that became required needs a value where a case has none. Widening (an enum member added, required → optional) is harmless.",
        old: "case:\n  reason: {enum: [personal, health, family]}\n",
        new: "case:\n  reason: {enum: [personal, health]}\n")
    public static let deadlineChanged = kind(
        "WFC8114", .warning, "deadline-changed", "A state's deadline was added, removed or changed.",
        "Cases that are in the state already have their deadline timer computed from the old rule. A migration says whether to keep those timers or to recompute them from the time the state was entered.",
        old: "handover:\n  due: {within: 3 working days}\n", new: "handover:\n  due: {within: 5 working days}\n")
    public static let signoffChanged = kind(
        "WFC8115", .warning, "signoff-changed", "A sign-off's parties, quorum, signing order (依次) or who may add signers (加签) changed.",
        "Cases in the middle of the sign-off hold signatures collected under the old rule; a migration decides whether they still count, and the new rule may be met or unmet by them at once. A new or changed signing order (`in_order`) is unsafe: signatures already given may be out of the new order, so each case must be checked or its signatures reset. Fewer people or positions allowed to add signers needs a mapping (signers were added under the old rule); more needs nothing, and neither does dropping an order.",
        old: "confirm:\n  signoff: {all: [leaver, receiver]}\n", new: "confirm:\n  signoff: {all: [leaver, receiver, witness]}\n")
    public static let guaranteeChanged = kind(
        "WFC8116", .error, "guarantee-changed", "The workflow's `guarantees` changed.",
        "A new guarantee (a checklist done, a sign-off made before `completed`) cannot hold for a case that has already passed the state that would have ensured it. Each case must be checked against its remaining path. A guarantee removed affects nobody.",
        old: "guarantees:\n  - signoff: [leaver, receiver]\n", new: "guarantees:\n  - signoff: [leaver, receiver, witness]\n")
    public static let roundLimitChanged = kind(
        "WFC8117", .warning, "round-limit-changed", "A state's `max_rounds` changed.",
        "A raised or removed limit affects nobody. A new or lower limit may already be exceeded by a running case, which then hits it on its next round: it must be checked.",
        old: "review:\n  max_rounds: 3\n", new: "review:\n  max_rounds: 2\n")
    public static let waitChanged = kind(
        "WFC8118", .warning, "wait-changed", "A wait state's duration or time changed.",
        "Cases waiting in the state have their wake-up time computed from the old rule; a migration keeps or recomputes it.",
        old: "cooling_off:\n  wait: 30 days\n  then: done\n", new: "cooling_off:\n  wait: 3 working days\n  then: done\n")
    public static let traceChanged = kind(
        "WFC8119", .note, "trace-changed", "The clause or assumption a rule cites changed.",
        "Traceability only: the rule behaves the same, and the new citation is what `wfc doc` and the audit views show.",
        old: "review:\n  clause: 第五条\n", new: "review:\n  clause: 第六条\n")
    public static let titleChanged = kind(
        "WFC8120", .note, "title-changed", "A title shown to people changed.",
        "Titles are what people read in task lists and documents; cases behave the same.",
        old: "review: {title: 部门审核}\n", new: "review: {title: 部门负责人审核}\n")
    public static let workflowChanged = kind(
        "WFC8121", .warning, "workflow-changed", "The workflow's id, calendar or start changed.",
        "A new id makes it another workflow: cases of the old one cannot move to it. A new calendar changes every working-day deadline still to come: open timers need a decision as for a changed deadline. A new start state affects only cases started later.",
        old: "workflow: company-handover\ncalendar: cn-mainland\n", new: "workflow: company-handover\ncalendar: cn-shanghai\n")
    public static let roleChanged = kind(
        "WFC8143", .error, "role-changed", "How a role is bound (at start or during the case), who may reassign it (转交) or whether a substitute may act for it (代理) changed.",
        "A role that becomes assigned during the case (`assign:`) keeps the person running cases bound at start until an event names one anew: nothing breaks. A role that was assigned during the case and is now bound at start has nobody in cases that have not reached the assignment yet, and no event of the new version binds it: such cases must be checked and are refused unless the plan names a person. When the events that assign a role lose one, a case not yet given the role may be past every event that still assigns it: it must be checked. `reassign:` and `substitutes: false` are judged at each step from now on: what was done stays in the audit log.",
        old: "roles:\n  handler: {title: 交接专人}\nstates:\n  assign:\n    on:\n      assigned: {by: dept_head, to: prepare, assign: [handler]}\n",
        new: "roles:\n  handler: {title: 交接专人}\nstates:\n  assign:\n    on:\n      assigned: {by: dept_head, to: prepare}\n")
    public static let noticeChanged = kind(
        "WFC8144", .warning, "notice-changed", "A state's reminders (催办, `remind:`) or copies (抄送, `cc:`) changed.",
        "Cases that are in the state have their next reminder computed from the old schedule; a migration keeps it or recomputes it by the new one from the time the state was entered (`deadlines: keep | recompute`). Reminders removed, and copies, which are sent when a state is entered or left, need nothing.",
        old: "review:\n  remind: {after: 2 working days}\n", new: "review:\n  remind: {after: 1 working day, every: 1 working day}\n")
}
