import WFCDiagnostics

/// The problems `wfc check` finds in a migration plan (`*.migrate.yaml`), WFC8130–WFC8142 (WFC8143
/// and WFC8144 are kinds of `wfc diff` change, ``DiffDiagnostics``).
/// Each is on the plan file, at the key or value at fault.
public enum MigrationDiagnostics {
    public static let all: [DiagnosticDescriptor] = [
        malformed, versionUnusable, unmappedState, unknownState, incompatibleTarget, missingValue,
        valueType, unknownField, unboundRole, separationAtRisk, deadlinesUnstated, signaturesUnstated, guaranteeSkipped,
    ]

    static func d(_ code: String, _ severity: Severity = .error, _ name: String, _ summary: String, _ explanation: String,
                  bad: String, fixed: String) -> DiagnosticDescriptor {
        DiagnosticDescriptor(code: DiagnosticCode(code), severity: severity, name: name, summary: summary, explanation: explanation, example: bad, fix: fixed)
    }

    static let header = "from: old/handover.yaml\nto: handover.yaml\n"

    public static let malformed = d(
        "WFC8130", .error, "migration-plan-malformed", "The migration plan is not a mapping of the known keys with values of the right form.",
        "A plan is a YAML mapping with `from` and `to` (the two policy files), and optionally `states` (old state: new state), `values` (new field: CEL over the old data), `people` (new role: person id), `deadlines` (keep or recompute) and `signatures` (keep or reset). Any other key, or a value of another form, is refused rather than guessed at.",
        bad: header + "deadline: keep\n", fixed: header + "deadlines: keep\n")
    public static let versionUnusable = d(
        "WFC8131", .error, "migration-version-unusable", "A version the plan names cannot be read or does not compile.",
        "`from` and `to` are paths relative to the plan file, inside the repository. Both must be workflows that compile without errors: the plan is proved against their typed state graphs.",
        bad: "from: old/missing.yaml\nto: handover.yaml\n", fixed: header)
    public static let unmappedState = d(
        "WFC8132", .error, "migration-state-unmapped", "A state of the old version is gone and the plan does not say where its cases continue.",
        "A running case may be in any state of the old version, including inside a parallel branch or a foreach item. A state the new version no longer has must be mapped under `states:` to a state of the new version in the same place.",
        bad: header, fixed: header + "states:\n  review: approval\n")
    public static let unknownState = d(
        "WFC8133", .error, "migration-state-unknown", "The state map names a state that does not exist in the version it refers to.",
        "Keys of `states:` are states of the old version, values states of the new version.",
        bad: header + "states:\n  reveiw: approval\n", fixed: header + "states:\n  review: approval\n")
    public static let incompatibleTarget = d(
        "WFC8134", .error, "migration-target-incompatible", "A state is mapped to a state a case cannot continue in.",
        "A case continues in the target with its bookkeeping: it must be in the same place (the top level, or the corresponding branch or foreach body), a parallel state maps to a parallel state and a foreach to a foreach (their branches and items go with them), and no case rests in a choice or is finished by a migration (a final state).",
        bad: header + "states:\n  review: done\n", fixed: header + "states:\n  review: approval\n")
    public static let missingValue = d(
        "WFC8135", .error, "migration-value-missing", "A field of the new version needs a value that running cases do not have.",
        "A field that is new and required without a default, or whose type or optionality changed so that old values may not fit, must be given a value under `values:` as CEL over the old data (`case.<old field>`). A field that some state fills later need not be.",
        bad: header, fixed: header + "values:\n  witness_needed: \"case.level == 'lead'\"\n")
    public static let valueType = d(
        "WFC8136", .error, "migration-value-type", "A value of the plan does not type-check over the old data, or its type does not fit the new field.",
        "Each value is a CEL expression checked against the OLD version's schema; its result must fit the NEW field's type (an int fits a decimal, an enum fits an enum with at least its members or a string field).",
        bad: header + "values:\n  days: \"case.reason\"\n", fixed: header + "values:\n  days: \"3\"\n")
    public static let unknownField = d(
        "WFC8137", .error, "migration-field-unknown", "`values:` names a field the new version does not have.",
        "Values are written into the new version's data, so each key must be one of its fields.",
        bad: header + "values:\n  witnes: \"true\"\n", fixed: header + "values:\n  witness_needed: \"true\"\n")
    public static let unboundRole = d(
        "WFC8138", .error, "migration-role-unbound", "A role of the new version has nobody in running cases.",
        "Every role must be bound to a person. A role the old version did not have must be given one under `people:` (or migrated cases would have a task nobody can do); a key there that is no new role is refused too. A role the old version assigned during the case (`assign:`) and the new one binds at start is a warning: cases that have not reached the assignment have nobody in it and are refused at migration, unless `people:` names one. So is a role assigned in both versions that an event no longer assigns: a case not yet given it may be past every event that still does.",
        bad: header, fixed: header + "people:\n  witness: hr.zhao\n")
    public static let separationAtRisk = d(
        "WFC8139", .warning, "migration-separation-at-risk", "The new version separates roles that running cases may have given to one person.",
        "People already bound stay bound. When the new version adds a `separate` group (or a person named under `people:` is in one), some cases may break it; each case is checked when it is migrated and such a case is refused and stays on its version. A person the plan names twice in one group is an error.",
        bad: header + "people:\n  witness: li.si\n  approver: li.si\n", fixed: header + "people:\n  witness: hr.zhao\n  approver: li.si\n")
    public static let deadlinesUnstated = d(
        "WFC8140", .error, "migration-deadlines-unstated", "Deadlines, waits, reminders or the calendar changed and the plan does not say what happens to open timers.",
        "Say `deadlines: keep` to keep the due times running cases have (deadlines, waits and the next reminder), or `deadlines: recompute` to compute them by the new rule from the time each state was entered.",
        bad: header, fixed: header + "deadlines: recompute\n")
    public static let signaturesUnstated = d(
        "WFC8141", .error, "migration-signatures-unstated", "A sign-off's parties or quorum changed and the plan does not say whether collected signatures still count.",
        "Say `signatures: keep` (signatures of roles that are still parties count; a sign-off they complete moves on at once) or `signatures: reset` (open sign-offs start again).",
        bad: header, fixed: header + "signatures: keep\n")
    public static let guaranteeSkipped = d(
        "WFC8142", .error, "migration-guarantee-skipped", "A case mapped to a state would skip a sign-off or checklist that `guarantees:` requires.",
        "The new version guarantees that a checklist is done or roles have signed before the case completes. From a mapped state, every way to completion must still pass a state that enforces it (a sign-off of those roles, or a requirement that the checklist is done); otherwise a migrated case could finish without it.",
        bad: header + "states:\n  handover: archive\n", fixed: header + "states:\n  handover: witness_signoff\n")
}

/// A plan diagnostic: one of ``MigrationDiagnostics`` with its occurrence's message.
struct PlanMessage: Sendable {
    var descriptor: DiagnosticDescriptor
    var message: String

    func diagnostic(at span: SourceSpan, label: String = "", notes: [String] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(severity: descriptor.severity, code: descriptor.code, message: message, primary: Label(span, label), notes: notes, help: help)
    }
}
