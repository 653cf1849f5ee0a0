import WFCIR

extension Run {
    /// Takes the `back_to` choice out of an event's data when the event offers one (the key
    /// is no case field then: the compiler refuses that clash).
    func backToChoice(_ payload: inout [String: ValueIR], offered: Bool, in s: Definition.StateRef) throws(Refusal) -> String? {
        guard offered, let v = payload.removeValue(forKey: TransitionIR.backToDataKey) else { return nil }
        guard case .string(let step) = v else {
            throw Refusal(.backToNotAllowed, "`\(TransitionIR.backToDataKey)` must name a step, not \(v)", span: s.span)
        }
        return step
    }

    /// Whether `t`, one target of a `back_to:` list, is the step chosen.
    static func isChoice(_ t: Definition.TransitionRef, _ choice: String?, _ def: Definition) -> Bool {
        guard let choice, let target = t.ir.target, def.ir.states.indices.contains(target) else { return false }
        return def.state(known: target).name == choice
    }

    /// Refuses an event offering `back_to:` whose data chose no listed step; returns when the
    /// event offers none (or the choice was listed and only a guard failed).
    func refuseBackTo(_ choice: String?, transitions: [TransitionIR], event: String, in s: Definition.StateRef) throws(Refusal) {
        var allowed: [String] = []
        for t in transitions where t.backTo == true {
            if let target = t.target, def.ir.states.indices.contains(target) {
                let name = def.state(known: target).name
                if !allowed.contains(name) { allowed.append(name) }
            }
        }
        guard !allowed.isEmpty, choice.map({ !allowed.contains($0) }) ?? true else { return }
        let key = TransitionIR.backToDataKey
        var r = Refusal(.backToNotAllowed,
                        (choice.map { "`\(event)` in `\(s.name)` cannot send the case back to `\($0)`" } ?? "`\(event)` in `\(s.name)` needs the step to send the case back to")
                            + " (data `\(key)`: one of \(allowed.joined(separator: ", ")))",
                        span: transitions.first { $0.backTo == true }?.span ?? s.span,
                        details: allowed.map { "\(key): \($0)" })
        r.possibleEvents = []
        throw r
    }
}
