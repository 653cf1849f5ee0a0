import WFCIR
import WFCDiagnostics

/// One graph check. Each lives in its own file with its messages at the bottom.
protocol GraphCheck: Sendable {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic])
}

/// Every graph check, in the order they run (the output is sorted afterwards).
enum GraphChecks {
    static let all: [any GraphCheck.Type] = [
        Unreachable.self, DeadEnd.self, TrapCycle.self, FinalWithTransitions.self, BranchCannotJoin.self,
        Nondeterminism.self, ChoiceFallthrough.self, UnboundedReviewLoop.self, UnusedRole.self,
        EventWithoutRole.self, DuplicateSignoffRole.self, SignoffSeparation.self, UnenforcedGuarantee.self, UnusableFills.self, MaybeUnfilled.self,
        Liveness.self, RoundLimitLoop.self, SelfApproval.self, RoleBinding.self,
        ReminderChecks.self, BackToChecks.self, SubstitutesWithoutEffect.self,
    ]

    static func run(_ ir: WorkflowIR, path: String) -> [Diagnostic] {
        let g = GraphModel(ir, path: path)
        var d: [Diagnostic] = []
        for check in all { check.run(g, &d) }
        return d
    }

    static let descriptors: [DiagnosticDescriptor] = [
        UndefinedTarget.descriptor, UnreachableState.descriptor, DeadEndState.descriptor, TrapCycleMessage.descriptor,
        FinalWithTransitionsMessage.descriptor, BranchCannotJoinMessage.descriptor, NondeterministicEvent.descriptor,
        ChoiceFallsThrough.descriptor, UnboundedLoop.descriptor, UnusedRoleMessage.descriptor, EventWithoutRoleMessage.descriptor,
        DuplicateSignoffParty.descriptor, SignoffPartiesNotSeparated.descriptor, UnenforcedGuaranteeMessage.descriptor, UnusableFillsMessage.descriptor, MaybeUnfilledMessage.descriptor,
        RoundLimitTrapMessage.descriptor, RoundLimitLoopMessage.descriptor, StuckRequirement.descriptor, LivenessUnproven.descriptor, SelfApprovalMessage.descriptor,
        RoleMaybeUnbound.descriptor, AssignInForeach.descriptor, SubstitutesWithoutEffectMessage.descriptor,
    ] + ReminderChecks.descriptors + BackToChecks.descriptors
}
