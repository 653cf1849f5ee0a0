import WFCDiagnostics
import WFCIR
import WFCRuntime

/// Turns the runtime's refusals into diagnostics: a stable code per refusal kind, the policy
/// line the refusal comes from (the IR's span), and the details as notes.
public enum RuntimeDiagnostics {
    /// The stable code and name of each refusal kind.
    public static func descriptor(_ kind: Refusal.Kind) -> DiagnosticDescriptor {
        switch kind {
        case .invalidData: InvalidCaseData.descriptor
        case .unboundRole: UnboundRole.descriptor
        case .unknownRole: UnknownRoleBinding.descriptor
        case .separationOfDuties: SeparationOfDuties.descriptor
        case .caseFinished: CaseFinished.descriptor
        case .definitionMismatch: DefinitionMismatch.descriptor
        case .unknownEvent: EventNotExpected.descriptor
        case .ambiguous: AmbiguousEvent.descriptor
        case .notAuthorized: NotAuthorized.descriptor
        case .guardFalse: GuardFalse.descriptor
        case .requirementFailed: RequirementFailed.descriptor
        case .payloadNotFillable: PayloadNotFillable.descriptor
        case .payloadInvalid: PayloadInvalid.descriptor
        case .maxRounds: MaxRoundsExceeded.descriptor
        case .alreadySigned: AlreadySigned.descriptor
        case .notSigned: NotSigned.descriptor
        case .calendar: CalendarMissing.descriptor
        case .runtimeError: RuntimeFailure.descriptor
        case .roleNotHeld: RoleNotHeld.descriptor
        case .assignedLater: AssignedLater.descriptor
        case .assignmentInvalid: AssignmentInvalid.descriptor
        case .reassignNotAllowed: ReassignNotAllowed.descriptor
        case .reassignInvalid: ReassignInvalid.descriptor
        case .backToNotAllowed: BackToNotAllowed.descriptor
        case .notYourTurn: NotYourTurn.descriptor
        case .signatureLocked: SignatureLocked.descriptor
        case .addSignerNotAllowed: AddSignerNotAllowed.descriptor
        case .addedSignerConflict: AddedSignerConflict.descriptor
        case .substituteNotAllowed: SubstituteNotAllowed.descriptor
        }
    }

    /// Every runtime code, for the registry and `wfc explain`.
    public static let all: [DiagnosticDescriptor] = Refusal.Kind.allCases.map(descriptor)

    /// The refusal kind a scenario names: `not-authorized`, `notAuthorized` or `WFC6009`.
    public static func kind(named text: String) -> Refusal.Kind? {
        Refusal.Kind.allCases.first { k in
            let d = descriptor(k)
            return text == k.rawValue || text == d.name || text == d.code.rawValue
        }
    }

    /// Names accepted by ``kind(named:)``, for suggestions.
    public static var kindNames: [String] { all.map(\.name) }

    /// The refusal as a diagnostic. `file` maps the IR's file names to the paths the caller
    /// shows (the IR keeps names relative to the workflow's folder); without a span the
    /// diagnostic points at `fallback`.
    public static func diagnostic(_ refusal: Refusal, file: (String) -> String, fallback: SourceSpan) -> Diagnostic {
        let d = descriptor(refusal.kind)
        let at = refusal.span.map { SourceSpan(file: file($0.file), start: $0.start, end: $0.end) } ?? fallback
        return Diagnostic(severity: .error, code: d.code, message: refusal.message,
                          primary: Label(at, label(refusal.kind)), notes: refusal.details,
                          help: suggestion(refusal) ?? help(refusal.kind))
    }

    /// For an event no active state accepts: the closest of the events that are possible now.
    static func suggestion(_ refusal: Refusal) -> String? {
        guard refusal.kind == .unknownEvent, let event = refusal.event else { return nil }
        return Suggestions.closest(to: event, among: refusal.possibleEvents).map { "did you mean `\($0)`?" }
    }

    static func label(_ kind: Refusal.Kind) -> String {
        switch kind {
        case .notAuthorized: "the roles allowed here"
        case .guardFalse: "this condition is false"
        case .requirementFailed: "this requirement does not hold"
        case .payloadNotFillable: "this transition does not let that field be filled"
        case .maxRounds: "the round limit"
        case .unknownEvent: "the active state"
        default: ""
        }
    }

    static func help(_ kind: Refusal.Kind) -> String? {
        switch kind {
        case .notAuthorized: "the event must come from a person bound to one of the state's roles"
        case .backToNotAllowed: "send the event again with `back_to: STEP` in its data, STEP one of the steps listed"
        case .requirementFailed: "finish what the requirement lists, then send the event again"
        case .calendar: "add the missing year to the calendar (docs/calendar.md)"
        case .separationOfDuties: "bind different people to the roles the policy keeps apart"
        case .maxRounds: "in the policy, say where the flow goes once the rounds are used up: `max_rounds: {limit: N, then: STATE}`"
        case .roleNotHeld: "name a role the person holds in this case (`--role`, or `role:` in a scenario; `wfc case show` lists the people), or leave the role out"
        case .assignedLater: "leave the role out of `people:`; the transition with `assign:` names its person"
        case .assignmentInvalid: "name one person for each role the transition assigns (`--assign ROLE=PERSON`, `assign:` in a scenario or the request)"
        case .reassignNotAllowed: "only holders of the roles in the policy's `reassign: {by: …}` may reassign, and only the roles it lists"
        case .reassignInvalid: "name an open task of the role (or none, for the rest of the case), the person who takes over, and a one-line reason"
        case .notYourTurn: "wait for the parties whose turn it is to sign (`wfc case show` lists the order)"
        case .signatureLocked: "the later parties withdraw their signatures first, last one first"
        case .addedSignerConflict: "add someone who is neither a party of the sign-off nor kept apart from one by `separate:`"
        case .substituteNotAllowed: "the person bound to the role must act in person (`substitutes: false` in the policy)"
        default: nil
        }
    }
}

extension SpanIR {
    /// This span as a diagnostics span, with the file name mapped by `file`.
    public func sourceSpan(_ file: (String) -> String = { $0 }) -> SourceSpan {
        SourceSpan(file: file(self.file), start: start, end: end)
    }
}

// MARK: - Messages

public struct InvalidCaseData: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC6001", name: "invalid-data", summary: "Case data or event data does not match the case schema.",
        explanation: "Every field of a case is typed by the workflow's `case:` schema. Each problem is listed with its path; nothing is stored while any remains.",
        example: "data: {last_day: next friday}\n", fix: "data: {last_day: 2025-10-31}\n")
    public var message: String
    public init(message: String) { self.message = message }
}

struct UnboundRole: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6002", name: "unbound-role", summary: "A role of the workflow has no person bound to it.",
        explanation: "The people filling the roles are part of the case: every role the workflow declares must be bound when the case starts.",
        example: "people: {handover: zhang.san}\n", fix: "people: {handover: zhang.san, receiver: li.si, manager: wang.wu, hr: zhao.liu}\n")
    var message: String
}

struct UnknownRoleBinding: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6003", name: "unknown-role", summary: "A person is bound to a role the workflow does not declare.",
        explanation: "`people:` maps the workflow's roles to people; a role name that the workflow does not declare is a typo.",
        example: "people: {mananger: wang.wu}\n", fix: "people: {manager: wang.wu}\n")
    var message: String
}

struct SeparationOfDuties: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6004", name: "separation-of-duties", summary: "One person is bound to two roles the policy keeps apart.",
        explanation: "A `separate:` group lists roles that must be held by different people, such as the person handing over and the person checking the handover.",
        example: "people: {handover: zhang.san, receiver: zhang.san}\n", fix: "people: {handover: zhang.san, receiver: li.si}\n")
    var message: String
}

struct CaseFinished: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6005", name: "case-finished", summary: "The case has already finished.",
        explanation: "A case that reached a final state accepts no more events.",
        example: "$ wfc case fire C1 confirm --as wang.wu   # after the case completed\n", fix: "Start a new case.\n")
    var message: String
}

struct DefinitionMismatch: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6006", name: "definition-mismatch", summary: "The case is pinned to another version of the workflow.",
        explanation: "A case runs on the compiled definition it started with (by content hash), so that editing the policy never changes a running case.",
        example: "(a snapshot fired against an edited workflow)\n", fix: "Fire the case against the definition it is pinned to.\n")
    var message: String
}

struct EventNotExpected: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6007", name: "unknown-event", summary: "No active state accepts this event.",
        explanation: "An event is accepted only by an active state that has a transition for it. The message lists the events the active states accept.",
        example: "- fire: aprove\n", fix: "- fire: approve\n")
    var message: String
}

struct AmbiguousEvent: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6008", name: "ambiguous-event", summary: "Several active states accept this event from this person.",
        explanation: "In parallel branches or foreach items, the same event may be open more than once. Say which one with the item index (`item:`, `--item`).",
        example: "- fire: done\n  as: li.si\n", fix: "- fire: done\n  as: li.si\n  item: 0\n")
    var message: String
}

struct NotAuthorized: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6009", name: "not-authorized", summary: "The person is not bound to a role allowed to send this event.",
        explanation: "Each transition names the roles that may trigger it (`by:`). The message names the roles and the people bound to them.",
        example: "- fire: approve\n  as: zhang.san   # the handover, not the manager\n", fix: "- fire: approve\n  as: wang.wu\n")
    var message: String
}

struct GuardFalse: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6010", name: "guard-false", summary: "The transition's condition does not hold.",
        explanation: "A transition with `when:` is taken only when its condition is true on the case data (after the event's payload is applied).",
        example: "- fire: ready\n  data: {items: []}\n", fix: "- fire: ready\n  data: {items: [{name: 客户资料, kind: document}]}\n")
    var message: String
}

struct RequirementFailed: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6011", name: "requirement-failed", summary: "An exit requirement of the state does not hold.",
        explanation: "`requires:` lists what must be true before a state may be left (for example every checklist item done). The notes list what is missing.",
        example: "(sign the handover list while items are not done)\n", fix: "Mark the items done first, then sign.\n")
    var message: String
}

struct PayloadNotFillable: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6012", name: "payload-not-fillable", summary: "The event sets a field that this state does not let its sender fill.",
        explanation: "A state's `fills:` (and its transition's) lists the fields an event may set there; everything else is read-only at that point.",
        example: "- fire: approve\n  data: {last_day: 2025-12-31}\n", fix: "Set the field in the state whose `fills:` lists it.\n")
    var message: String
}

struct PayloadInvalid: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6013", name: "payload-invalid", summary: "The event's data does not match the case schema.",
        explanation: "Event data is type-checked against the case schema like start data. The notes list each problem with its path.",
        example: "- fire: submit\n  data: {last_day: soon}\n", fix: "- fire: submit\n  data: {last_day: 2025-10-31}\n")
    var message: String
}

struct MaxRoundsExceeded: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6014", name: "max-rounds", summary: "A state would be entered more often than its `max_rounds`.",
        explanation: "Loops such as reject-and-revise are bounded by `max_rounds`; without a `then:` in the bound, the step that would exceed it is refused (with one, the step goes there instead). `wfc check` reports a bound that leaves the case stuck as WFC5017.",
        example: "(a fourth reject of a review with max_rounds: 3)\n", fix: "max_rounds: {limit: 3, then: hr_decide, escalate: hr, violation: 审核反复退回}\n")
    var message: String
}

struct AlreadySigned: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6015", name: "already-signed", summary: "The person has already signed this sign-off.",
        explanation: "Each party signs a sign-off once; one person cannot sign twice under different roles.",
        example: "- fire: sign\n  as: li.si\n- fire: sign\n  as: li.si\n", fix: "- fire: sign\n  as: li.si\n")
    var message: String
}

struct NotSigned: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6016", name: "not-signed", summary: "A signature was withdrawn that was never given.",
        explanation: "`unsign` withdraws the sender's own signature before the sign-off completes.",
        example: "- fire: unsign\n  as: li.si   # who has not signed\n", fix: "Only withdraw a signature you gave.\n")
    var message: String
}

struct CalendarMissing: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6017", name: "calendar", summary: "A working-day deadline needs calendar data that is missing.",
        explanation: "Working days skip weekends and statutory holidays and count make-up working days. A year without calendar data is an error, never a guess.",
        example: "(a case started in 2027 with the built-in 2025–2026 calendar)\n", fix: "Add the year to a company calendar file (docs/calendar.md).\n")
    var message: String
}

struct RuntimeFailure: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6018", name: "runtime-error", summary: "An expression failed while the case ran.",
        explanation: "For example a field read before it was filled, or a choice with no arm that holds and no `otherwise`. The diagnostic points at the policy line.",
        example: "(a choice whose conditions are all false)\n", fix: "Add an `otherwise:` arm, or make sure the field is filled first.\n")
    var message: String
}

struct RoleNotHeld: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6019", name: "role-not-held", summary: "A signature was given or withdrawn under a role the person does not hold.",
        explanation: "`sign --role R` and `unsign --role R` act as role R, which must be bound to the sender in the case's `people:`. Another role's signature cannot be given, whether or not the sender is a party of the sign-off under a role of their own.",
        example: "$ wfc case fire C1 sign --as zhang.san --role receiver   # receiver is li.si\n",
        fix: "$ wfc case fire C1 sign --as zhang.san --role handover\n")
    var message: String
}

struct AssignedLater: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6020", name: "assigned-later", summary: "A role the policy assigns during the case was bound at start.",
        explanation: "A role named in a transition's `assign:` is bound by that event: the policy says who appoints the person (e.g. the department head names the handover handler). Binding it when the case starts would bypass that appointment, so the start is refused.",
        example: "- start:\n    people: {employee: zhang.san, dept_head: wang.wu, handler: zhao.liu}\n",
        fix: "- start:\n    people: {employee: zhang.san, dept_head: wang.wu}\n- fire: assigned\n  by: wang.wu\n  assign: {handler: zhao.liu}\n")
    var message: String
}

struct AssignmentInvalid: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6021", name: "assignment-invalid", summary: "An event's `assign` does not match the roles its transition assigns.",
        explanation: "A transition with `assign: [R]` binds each role R to the person the event names. The event must name exactly one person for each of those roles, and no other role: a role the transition does not assign cannot be bound by it.",
        example: "- fire: assigned\n  by: wang.wu\n",
        fix: "- fire: assigned\n  by: wang.wu\n  assign: {handler: zhao.liu}\n")
    var message: String
}

struct ReassignNotAllowed: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6022", name: "reassign-not-allowed", summary: "The sender may not reassign, or not this role.",
        explanation: "Reassignment (转交) is allowed only where the policy says so: `reassign: {by: [ROLES], roles: [ROLES]}`. Without `reassign:` nobody may reassign; with it, only the holders of its `by:` roles may, and only the roles in its `roles:` (every role when `roles:` is left out).",
        example: "- reassign: handler\n  by: zhang.san\n  to: qian.qi\n  reason: 休假\n",
        fix: "- reassign: handler\n  by: wang.wu\n  to: qian.qi\n  reason: 休假\n")
    var message: String
}

struct ReassignInvalid: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6023", name: "reassign-invalid", summary: "A reassignment names no open task of the role, no new person, or no reason.",
        explanation: "A reassignment hands one open task of a role (`task:`), or the role for the rest of the case, to another person. The task must be open and wait for that role, the role must already be bound, the new person must differ from the holder, and the reason (one line, at most 500 characters) is required: the audit log records \"X acting for Y, by Z, because …\".",
        example: "- reassign: handler\n  by: wang.wu\n  to: qian.qi\n",
        fix: "- reassign: handler\n  by: wang.wu\n  to: qian.qi\n  reason: 赵六病假，由钱七接手交接\n")
    var message: String
}

struct BackToNotAllowed: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6035", name: "back-to-not-allowed", summary: "A send-back names no step, or one the policy does not allow.",
        explanation: "An event with `back_to: [apply, prepare]` (退回到指定步骤) sends the case back to the step the reviewer chooses, given in the event's data as `back_to: STEP`. The choice must be one of the listed steps; the refusal lists them. Nothing changes.",
        example: "$ wfc case fire C1 reject --as wang.wu --data '{\"back_to\": \"archive\"}'\n",
        fix: "$ wfc case fire C1 reject --as wang.wu --data '{\"back_to\": \"prepare\"}'\n")
    var message: String
}

struct NotYourTurn: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6030", name: "not-your-turn", summary: "A signature out of turn in a sign-off signed in order.",
        explanation: """
            An in-order sign-off (依次, `signoff: {in_order: [a, b, c]}`) takes its signatures one \
            party after another; a signer added before or after the others (加签) has a place in \
            that order too. A party signs once every party before it has signed; the refusal names \
            whose turn it is.
            """,
        example: "# signoff: {in_order: [handover, receiver]}\n- fire: sign\n  as: li.si     # receiver\n",
        fix: "- fire: sign\n  as: zhang.san  # handover first\n- fire: sign\n  as: li.si\n")
    var message: String
}

struct SignatureLocked: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6031", name: "signature-locked", summary: "A signature of an ordered sign-off cannot be withdrawn: a later party signed after it.",
        explanation: """
            In a sign-off signed in order, each party signs on the strength of the signatures \
            before theirs. A signature can be withdrawn (`unsign`) only while no later party has \
            signed; otherwise the later signatures are withdrawn first, last one first.
            """,
        example: "# signoff: {in_order: [handover, receiver]}, both signed but the sign-off waits\n- fire: unsign\n  as: zhang.san\n",
        fix: "- fire: unsign\n  as: li.si\n- fire: unsign\n  as: zhang.san\n")
    var message: String
}

struct AddSignerNotAllowed: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6032", name: "add-signer-not-allowed", summary: "The sign-off does not let a signer be added, or not in that position.",
        explanation: """
            A signer is added to an active sign-off (加签) only where the policy says so: \
            `signoff: {all: [...], add: {by: [manager], positions: [before, after, parallel]}}`. \
            Without `add:` nobody may add a signer; with it, only the listed positions are allowed.
            """,
        example: "# signoff: {all: [handover, receiver], add: {by: manager, positions: [after]}}\n- add_signer: {by: wang.wu, person: zhao.liu, position: before, reason: 复核}\n",
        fix: "- add_signer: {by: wang.wu, person: zhao.liu, position: after, reason: 复核}\n")
    var message: String
}

struct AddedSignerConflict: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6033", name: "added-signer-conflict", summary: "The person cannot be added as a signer: separation of duties.",
        explanation: """
            An added signer must be someone new to the sign-off: not the person adding them, not \
            already added, not bound to a party of the sign-off, and not bound to a role that a \
            `separate:` group keeps apart from one of its parties. Otherwise one person could sign \
            twice, or sign where the policy keeps them out.
            """,
        example: "# handover is zhang.san\n- add_signer: {by: wang.wu, person: zhang.san, position: after, reason: 复核}\n",
        fix: "- add_signer: {by: wang.wu, person: zhao.liu, position: after, reason: 复核}\n")
    var message: String
}

struct SubstituteNotAllowed: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC6025", name: "substitute-not-allowed", summary: "A substitute acted for a role that must act in person.",
        explanation: "A person's substitute (代理, `wfc people substitute`) may act in the roles bound to that person while the substitution lasts, except in a role the policy declares `substitutes: false` — a 监交人 who must witness a handover in person, say. The attempt is refused and recorded; the person bound to the role must act themselves, or the role be given to someone else.",
        example: "roles:\n  witness: {title: 监交人, substitutes: false}\n# then, while zhao.liu is away with li.si as substitute:\n$ wfc case fire C1 sign --as li.si --for zhao.liu\n",
        fix: "$ wfc case fire C1 sign --as zhao.liu\n")
    var message: String
}
