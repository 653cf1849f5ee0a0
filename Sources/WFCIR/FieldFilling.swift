/// Which states can fill which fields: one rule shared by the compiler's definite-fill check
/// and the runtime, which must agree on it.
extension WorkflowIR {
    /// For each field id, the states whose `fills` (or whose transitions' `fills`) name it.
    public var fillingStates: [Int: Set<Int>] {
        var out: [Int: Set<Int>] = [:]
        for s in states {
            for f in s.fills { out[f, default: []].insert(s.id) }
            for t in s.transitions {
                for f in t.fills { out[f, default: []].insert(s.id) }
            }
        }
        return out
    }

    /// Required fields (no default) that exactly one state can fill, by that state. They must
    /// have a value before an event moves the flow on from there (to anything but a final
    /// state), or nothing could ever fill them.
    public var soleFilledFields: [Int: [Int]] {
        let fillers = fillingStates
        var out: [Int: [Int]] = [:]
        for f in fields where !f.optional && f.defaultValue == nil {
            if let states = fillers[f.id], states.count == 1, let s = states.first { out[s, default: []].append(f.id) }
        }
        return out
    }
}
