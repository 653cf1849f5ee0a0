/// Where a state or rule comes from: the clause of the source policy it implements, or an
/// assumption, a rule the source does not state, with the reason it was added (so the
/// company can confirm or remove it). Written as `clause:` or `assumption:` in the workflow.
public struct TraceIR: Codable, Sendable, Hashable {
    public var clause: String?
    public var assumption: String?

    public init(clause: String? = nil, assumption: String? = nil) {
        self.clause = clause
        self.assumption = assumption
    }

    /// Neither a clause nor an assumption (an empty clause counts as none).
    public var isEmpty: Bool { (clause ?? "").isEmpty && (assumption ?? "").isEmpty }

    /// The inheritance rule: a rule without a trace of its own is traced by what contains it
    /// (an event, a deadline or a requirement by its state; `overdue` by its deadline; a
    /// state in a parallel branch or foreach body by the owning state).
    public func or(_ parent: @autoclosure () -> TraceIR) -> TraceIR { isEmpty ? parent() : self }
}

extension StateIR {
    /// The state's own `clause` or `assumption`.
    public var ownTrace: TraceIR { TraceIR(clause: clause, assumption: assumption) }
}

extension TransitionIR {
    /// The transition's own `clause` or `assumption`.
    public var ownTrace: TraceIR { TraceIR(clause: clause, assumption: assumption) }
}

extension DueIR {
    /// The deadline's own `clause` or `assumption`.
    public var ownTrace: TraceIR { TraceIR(clause: clause, assumption: assumption) }
    /// The `overdue` actions' own `clause` or `assumption`.
    public var ownOverdueTrace: TraceIR { TraceIR(clause: overdueClause, assumption: overdueAssumption) }
}

extension RoundLimitIR {
    /// The round limit's own `clause` or `assumption`.
    public var ownTrace: TraceIR { TraceIR(clause: clause, assumption: assumption) }
}

extension WorkflowIR {
    /// A state's trace after inheritance: its own, else that of the state owning its region.
    public func trace(ofState id: Int) -> TraceIR {
        var own = TraceIR()
        var current: Int? = id
        // Region owners nest; each step goes one region up, so this ends at region 0.
        while let s = current, states.indices.contains(s) {
            own = states[s].ownTrace
            if !own.isEmpty { return own }
            let region = states[s].region
            current = regions.indices.contains(region) && region != 0 ? regions[region].owner : nil
        }
        return own
    }

    /// The trace of the `i`-th separation group (empty when none is written).
    public func trace(ofSeparation i: Int) -> TraceIR {
        guard let t = separationTraces, t.indices.contains(i) else { return TraceIR() }
        return t[i]
    }

    /// The trace of the `i`-th guarantee.
    public func trace(ofGuarantee i: Int) -> TraceIR {
        guard guarantees.indices.contains(i) else { return TraceIR() }
        let clause: String? = switch guarantees[i] {
        case .checklist(_, _, let c), .signoff(_, _, let c): c
        }
        let assumption = guaranteeAssumptions.flatMap { $0.indices.contains(i) ? $0[i] : nil }
        return TraceIR(clause: clause, assumption: assumption)
    }
}

extension StateIR {
    /// The trace of the `i`-th state-level requirement, as written.
    public func trace(ofRequirement i: Int) -> TraceIR {
        guard let t = requireTraces, t.indices.contains(i) else { return TraceIR() }
        return t[i]
    }
}

extension TransitionIR {
    /// The trace of the `i`-th requirement of this event, as written.
    public func trace(ofRequirement i: Int) -> TraceIR {
        guard let t = requireTraces, t.indices.contains(i) else { return TraceIR() }
        return t[i]
    }
}
