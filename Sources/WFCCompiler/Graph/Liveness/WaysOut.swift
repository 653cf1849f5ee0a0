import WFCIR

/// The ways out of each state, as the liveness proof reads them: what each needs, what it
/// writes, and where it goes. Built once per workflow; the proof evaluates them per
/// configuration.
struct WaysOut {
    /// One way a step can leave a state.
    struct Alternative {
        /// Conjuncts of the `when:` guard (condition ids).
        var guardConditions: [Int]
        /// Conjuncts of the state's and the transition's `requires` (condition ids).
        var requirements: [Int]
        /// Fields the acting person may fill in this step, sorted.
        var fillable: [Int]
        /// Fields the step may change: what it fills and what it sets, sorted.
        var writes: [Int]
        /// Fields written by `set:` after the requirements were checked, sorted.
        var sets: [Int]
        /// What a step through it makes certain: the fact tokens of its guard and requirements
        /// that time cannot undo and its own `set:` does not change, sorted.
        var gens: [Int] = []
        /// The target; nil with ``join`` (the region finishes) or for a bad reference.
        var target: Int?
        var join: Bool
        /// How a counterexample names the step: an event name, `then`, …
        var label: String
        var span: SpanIR
    }

    enum Kind: Equatable {
        /// An event; its alternatives are its guarded transitions.
        case event(String)
        /// `then:` once the state's work is done (a sign-off, a wait, all branches, an automatic task).
        case then
        /// The overdue `to:` of a deadline: time alone takes it, with no requirement.
        case overdue
        /// The arms of a choice: the data picks one.
        case choice
    }

    struct Exit {
        var kind: Kind
        var alternatives: [Alternative]
        /// Events: the alternatives' guards cover every case (so the data always picks one).
        var exhaustive: Bool
    }

    /// For each state, its exits.
    var exits: [[Exit]]
    /// For each state and exit, the index of the exit's first alternative among the state's.
    var firstAlternative: [[Int]]
    var table: ConditionTable
    /// For each state, the fields that steps staying in it (to itself) can write.
    var selfWrites: [[Int]]
    /// For each region, the fields that other concurrent region instances may write while it
    /// runs: sibling branches, other items of the same foreach, and those of enclosing regions.
    var concurrentWrites: [[Int]]
    /// For each composite state, every field written inside its branches or body.
    var innerWrites: [[Int]]

    init(_ ir: WorkflowIR) {
        var table = ConditionTable(ir)
        let fieldName: (Int) -> String = { id in ir.fields.first { $0.id == id }?.name ?? "#\(id)" }
        // Aliases in scope per region: its own and those of the regions enclosing it.
        var aliases = [[String]](repeating: [], count: ir.regions.count)
        for r in ir.regions {
            var names: [String] = []
            var cur: Int? = r.id
            var guardCount = 0
            while let c = cur, ir.regions.indices.contains(c), guardCount <= ir.regions.count {
                if let a = ir.regions[c].alias { names.append(a) }
                cur = ir.regions[c].owner.flatMap { ir.states.indices.contains($0) ? ir.states[$0].region : nil }
                guardCount += 1
            }
            aliases[r.id] = names
        }
        func regionAliases(_ s: StateIR) -> [String] { aliases.indices.contains(s.region) ? aliases[s.region] : [] }

        var exits: [[Exit]] = []
        var selfWrites: [[Int]] = []
        var stateWrites: [[Int]] = []
        exits.reserveCapacity(ir.states.count)
        for s in ir.states {
            let names = regionAliases(s)
            let stateRequires = s.requires.flatMap { table.requirement($0, aliases: names, fieldName: fieldName) }
            var out: [Exit] = []
            var mine = Set<Int>(s.fills)
            var ownSelf = Set<Int>()
            // Events, in order of first appearance; each event's transitions are its alternatives.
            // Events in order of first appearance (a state has a few: a list, not a dictionary).
            var byEvent: [(name: String, alts: [Alternative], guards: [String])] = []
            for t in s.transitions {
                let guardConditions = t.guardExpr.map { table.expression($0, aliases: names) } ?? []
                let requirements = t.requires.isEmpty ? stateRequires : stateRequires + t.requires.flatMap { table.requirement($0, aliases: names, fieldName: fieldName) }
                let fillable = Self.sortedUnique(s.fills + t.fills)
                let sets = Self.sortedUnique(t.assignments.map(\.field))
                let writes = sets.isEmpty ? fillable : Self.sortedUnique(fillable + sets)
                mine.formUnion(writes)
                if t.target == s.id { ownSelf.formUnion(writes) }
                var alt = Alternative(guardConditions: guardConditions, requirements: requirements, fillable: fillable, writes: writes, sets: sets,
                                      target: t.target, join: t.join, label: t.event, span: t.span)
                alt.gens = Self.gens(alt, table)
                if let i = byEvent.firstIndex(where: { $0.name == t.event }) {
                    byEvent[i].alts.append(alt)
                    if let g = t.guardExpr { byEvent[i].guards.append(g.source) }
                } else {
                    byEvent.append((t.event, [alt], t.guardExpr.map { [$0.source] } ?? []))
                }
            }
            for (name, alts, guards) in byEvent {
                // One alternative: always picked when its guard holds. Several: the data picks
                // among them, and always finds one when the guards cover every case.
                let exhaustive = guards.count < alts.count || (alts.count > 1 && ChoiceFallthrough.exhaustive(guards, ir))
                out.append(Exit(kind: .event(name), alternatives: alts, exhaustive: exhaustive))
            }
            if s.then != nil || s.thenJoin {
                var alt = Alternative(guardConditions: [], requirements: stateRequires, fillable: [], writes: [], sets: [],
                                      target: s.then, join: s.thenJoin, label: "then", span: s.span)
                alt.gens = Self.gens(alt, table)
                out.append(Exit(kind: .then, alternatives: [alt], exhaustive: true))
            }
            if let due = s.due, let target = due.target {
                out.append(Exit(kind: .overdue, alternatives: [Alternative(
                    guardConditions: [], requirements: [], fillable: [], writes: [], sets: [],
                    target: target, join: false, label: "deadline passes", span: due.span)], exhaustive: true))
            }
            if s.kind == .choice {
                var arms = s.choice.map { arm in
                    var alt = Alternative(guardConditions: table.expression(arm.condition, aliases: names), requirements: [], fillable: [], writes: [], sets: [],
                                          target: arm.target, join: arm.target == nil, label: "choice", span: arm.span)
                    alt.gens = Self.gens(alt, table)
                    return alt
                }
                if let o = s.otherwise {
                    arms.append(Alternative(guardConditions: [], requirements: [], fillable: [], writes: [], sets: [],
                                            target: o, join: false, label: "otherwise", span: s.span))
                }
                if !arms.isEmpty { out.append(Exit(kind: .choice, alternatives: arms, exhaustive: true)) }
            }
            exits.append(out)
            selfWrites.append(ownSelf.sorted())
            stateWrites.append(mine.sorted())
        }

        // Writes of whole regions, innermost first (a region's id is larger than its owner's).
        var regionWrites = [Set<Int>](repeating: [], count: ir.regions.count)
        for r in ir.regions.reversed() {
            var w = Set<Int>()
            for s in r.states where ir.states.indices.contains(s) {
                w.formUnion(stateWrites[s])
                for child in ir.states[s].regions where regionWrites.indices.contains(child) { w.formUnion(regionWrites[child]) }
            }
            regionWrites[r.id] = w
        }
        var innerWrites = [[Int]](repeating: [], count: ir.states.count)
        for s in ir.states where !s.regions.isEmpty {
            var w = Set<Int>()
            for child in s.regions where regionWrites.indices.contains(child) { w.formUnion(regionWrites[child]) }
            innerWrites[s.id] = w.sorted()
        }
        var concurrent = [[Int]](repeating: [], count: ir.regions.count)
        for r in ir.regions {
            guard let owner = r.owner, ir.states.indices.contains(owner) else { continue }
            let o = ir.states[owner]
            var w = Set<Int>()
            if o.kind == .foreach {
                w.formUnion(regionWrites[r.id]) // the other items run the same states
            } else {
                for sibling in o.regions where sibling != r.id && regionWrites.indices.contains(sibling) { w.formUnion(regionWrites[sibling]) }
            }
            if concurrent.indices.contains(o.region) { w.formUnion(concurrent[o.region]) }
            concurrent[r.id] = w.sorted()
        }
        self.exits = exits
        // A composite's `then` forgets what its branches may have changed.
        for s in ir.states where !innerWrites[s.id].isEmpty {
            for (e, exit) in exits[s.id].enumerated() where exit.kind == .then {
                self.exits[s.id][e].alternatives[0].writes = Self.sortedUnique(exit.alternatives[0].writes + innerWrites[s.id])
            }
        }
        firstAlternative = exits.map { es in
            var next = 0
            return es.map { e in defer { next += e.alternatives.count }; return next }
        }
        self.table = table
        self.selfWrites = selfWrites
        self.concurrentWrites = concurrent
        self.innerWrites = innerWrites
    }

    /// The distinct elements, ascending (small lists: sort and drop repeats, no set).
    static func sortedUnique(_ xs: [Int]) -> [Int] {
        if xs.count < 2 { return xs }
        var out = xs.sorted()
        var w = 1
        for i in 1..<out.count where out[i] != out[w - 1] {
            out[w] = out[i]
            w += 1
        }
        out.removeLast(out.count - w)
        return out
    }

    /// The facts a step through `alt` makes certain (see ``Alternative/gens``).
    static func gens(_ alt: Alternative, _ table: ConditionTable) -> [Int] {
        var out: [Int] = []
        for c in alt.guardConditions + alt.requirements {
            let cond = table.conditions[c]
            guard cond.trend == .timeless || cond.trend == .eventuallyTrue, !Liveness.intersects(cond.fields, alt.sets) else { continue }
            out.append(cond.token)
        }
        return sortedUnique(out)
    }
}
