import WFCIR
import WFCDiagnostics

/// Proves that a case can always finish: from every configuration a case can reach, some
/// sequence of permitted events, signatures and timers leads to a final state (or, inside a
/// parallel branch or foreach item, to `join`). See docs/language.md, "The liveness proof".
///
/// Each region is explored on its own as a graph of configurations: the active state and the
/// round counts of the region's bounded states (`max_rounds`), so that a used-up round limit
/// is seen exactly where it can happen. The case data is abstracted: for each configuration
/// the proof knows the conditions that certainly hold there (a must-analysis over every path
/// to it: guards passed and requirements checked, forgotten when a step may change what they
/// read). A condition on a way out may be relied on when it certainly holds, when time alone
/// makes it true, when the acting person fills a field it reads in that step, or when a
/// step that stays in the state (or a concurrent branch) can change what it reads. Anything
/// else may be false for good. The people act together (any permitted event may be sent);
/// the data is adversarial where no one in the state can change it (an event's guarded
/// alternatives and a choice's arms may go any way they cover).
///
/// A configuration that cannot finish is reported where the case gets stuck, with the path
/// that leads there.
enum Liveness: GraphCheck {
    /// Round-count combinations tracked exactly per region; beyond it, the proof takes the
    /// worst case (every limit of the state's cycle used up) and says so where that matters.
    static let exactCombinations = 256

    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        let ir = g.ir
        guard !ir.regions.isEmpty else { return }
        let free = FreeExits(g)
        var ways: WaysOut?
        var entryFacts = [[Int]?](repeating: nil, count: ir.regions.count)
        entryFacts[0] = []
        var prefixes = [String](repeating: "", count: ir.regions.count)
        var reported = Set<String>()
        for region in ir.regions {
            guard let start = region.start, ir.states.indices.contains(start) else { continue }
            // Most regions: every state has a way on that nothing can block, leading to the end.
            if free.finishes(region: region.id) { continue }
            let w = ways ?? WaysOut(ir)
            ways = w
            // A branch whose owner's region was never explored starts knowing nothing.
            let facts = entryFacts[region.id] ?? []
            var run = RegionRun(g: g, ways: w, region: region.id)
            run.explore(start: start, facts: facts)
            // Branches and foreach bodies start with what certainly holds at their owner,
            // less what runs beside them may change.
            for child in ir.regions where child.owner.map({ ir.states.indices.contains($0) && ir.states[$0].region == region.id }) ?? false {
                guard let owner = child.owner, let f = run.factsAt(state: owner) else { continue }
                let concurrent = w.concurrentWrites[child.id]
                entryFacts[child.id] = f.filter { !intersects(w.table.tokenFields[$0], concurrent) }
                prefixes[child.id] = prefixes[region.id] + run.path(toState: owner) + " ⟶ " + (child.alias.map { "item `\($0)`: " } ?? "branch `\(child.name)`: ")
            }
            run.report(prefix: prefixes[region.id], reported: &reported, &d)
        }
    }

    static func intersects(_ a: [Int], _ b: [Int]) -> Bool {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { return true }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return false
    }

    /// The common elements of two sorted lists.
    static func intersection(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return out
    }

    static func isSubset(_ a: [Int], of b: [Int]) -> Bool {
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j == b.count || b[j] != x { return false }
        }
        return true
    }
}

/// The configuration graph of one region and what the proof learns about it.
struct RegionRun {
    enum Outcome: Equatable {
        case node(Int)
        /// A final state or `join`.
        case finished
        /// Entering this bounded state is refused: its rounds are used up.
        case refused(Int)
    }


    /// Why one alternative cannot be taken in a configuration.
    enum Block {
        case condition(Int)
        case rounds(Int)
        /// The step goes on into an automatic state that cannot move on, so it is refused.
        case automatic(Int)
    }

    let g: GraphModel
    let ways: WaysOut
    let region: Int
    /// Bounded states whose rounds are counted (those a case can enter more than once).
    private var bounded: [Int] = []
    private var boundedIndex: [Int: Int] = [:]
    private var radix: [Int] = []
    private var limits: [Int] = []
    private var radixProduct = 1
    /// Too many combinations to count: a bounded state of the same cycle counts as used up.
    private(set) var worstCase = false
    /// The cycle (strongly connected component) of each state of the region, -1 outside one.
    private var cycle: [Int: Int] = [:]
    // Nodes.
    private var nodeState: [Int] = []
    private var nodeRounds: [Int] = []
    private var index: [Int: Int] = [:]
    /// Outcomes, flat: those of node `n` start at `outcomeBase[n]`, in the order of
    /// ``WaysOut/firstAlternative``.
    private var outcomeFlat: [Outcome] = []
    /// In the worst case: the outcome once the rounds of the target's cycle are used up, when
    /// it differs (a refusal, or the `then:` of the limit). Ways on are judged by it.
    private var worstFlat: [Outcome?] = []
    private var outcomeBase: [Int] = []
    /// Breadth-first parent: node, exit, alternative.
    private var parent: [(node: Int, exit: Int, alt: Int)?] = []
    private var facts: [[Int]?] = []
    /// Node reached by a timer (an overdue `to:` or a wait): an automatic state entered by a
    /// timer stays where it is when it cannot move on.
    private var byTimer: [Bool] = []
    private var good: [Bool] = []

    init(g: GraphModel, ways: WaysOut, region: Int) {
        self.g = g
        self.ways = ways
        self.region = region
        let ir = g.ir
        guard ir.regions[region].states.contains(where: { ir.states.indices.contains($0) && ir.states[$0].maxRounds != nil }) else { return }
        for (ci, comp) in g.components(region: region).enumerated() {
            let looping = comp.count > 1 || comp.first.map { s in g.edges[s].contains { $0.to == s } } ?? false
            guard looping else { continue }
            for s in comp { cycle[s] = ci }
        }
        // Only states a case can enter again can use up their rounds (or a limit of 0).
        var product = 1
        for s in ir.regions[region].states where ir.states.indices.contains(s) {
            guard let limit = ir.states[s].maxRounds, limit >= 0, cycle[s] != nil || limit == 0 else { continue }
            boundedIndex[s] = bounded.count
            bounded.append(s)
            limits.append(limit)
            product = product > Liveness.exactCombinations ? product : product * (limit + 1)
        }
        if product > Liveness.exactCombinations { worstCase = true }
    }

    private var ir: WorkflowIR { g.ir }

    // MARK: exploring

    mutating func explore(start: Int, facts initial: [Int]) {
        radix = []
        radixProduct = 1
        if !worstCase {
            for l in limits {
                radix.append(radixProduct)
                radixProduct *= l + 1
            }
        }
        guard case .node(let first) = enter(start, join: false, rounds: 0, from: nil, usedUp: false) else { return }
        var queue = [first]
        var i = 0
        while i < queue.count {
            let n = queue[i]
            i += 1
            let s = nodeState[n]
            outcomeBase[n] = outcomeFlat.count
            for (ei, exit) in ways.exits[s].enumerated() {
                for (ai, alt) in exit.alternatives.enumerated() {
                    let o = enter(alt.target, join: alt.join, rounds: nodeRounds[n], from: s, usedUp: false)
                    outcomeFlat.append(o)
                    let w = worstCase ? enter(alt.target, join: alt.join, rounds: 0, from: s, usedUp: true) : o
                    worstFlat.append(w == o ? nil : w)
                    for reached in [o, w] {
                        guard case .node(let m) = reached else { continue }
                        if exit.kind == .overdue || (exit.kind == .then && ir.states[s].kind == .wait) { byTimer[m] = true }
                        if parent[m] == nil && m != first {
                            parent[m] = (n, ei, ai)
                            queue.append(m)
                        }
                    }
                }
            }
        }
        propagateFacts(from: first, initial)
        solve()
    }

    /// The outcome of alternative `a` of exit `e` from node `n` (in the worst case, once the
    /// rounds are used up).
    private func outcome(_ n: Int, _ e: Int, _ a: Int) -> Outcome {
        let i = outcomeBase[n] + ways.firstAlternative[nodeState[n]][e] + a
        return worstFlat[i] ?? outcomeFlat[i]
    }

    /// Every outcome of node `n` a case can reach (both sides in the worst case).
    private func reachedNodes(_ n: Int, _ e: Int, _ a: Int) -> [Int] {
        let i = outcomeBase[n] + ways.firstAlternative[nodeState[n]][e] + a
        var out: [Int] = []
        if case .node(let m) = outcomeFlat[i] { out.append(m) }
        if let w = worstFlat[i], case .node(let m) = w { out.append(m) }
        return out
    }

    /// Enters `target` with the round counts `rounds`: a node, a finish, or a refusal. A used-up
    /// round limit with `then:` goes there instead, as the runtime does. In the worst case, a
    /// bounded state of the cycle the step comes from counts as used up.
    private mutating func enter(_ target: Int?, join: Bool, rounds: Int, from: Int?, usedUp exhausted: Bool) -> Outcome {
        var t = target
        var code = rounds
        var seen: [Int] = []
        while true {
            guard let s = t, ir.states.indices.contains(s) else { return .finished } // join (or a bad reference, reported elsewhere)
            if ir.states[s].isFinal { return .finished }
            if let b = boundedIndex[s] {
                let usedUp: Bool
                if worstCase {
                    usedUp = limits[b] == 0 || (exhausted && from.flatMap { cycle[$0] } != nil && from.flatMap { cycle[$0] } == cycle[s])
                } else {
                    usedUp = (code / radix[b]) % (limits[b] + 1) >= limits[b]
                }
                if usedUp {
                    guard let rl = ir.states[s].roundLimit, rl.redirects, !seen.contains(s) else { return .refused(s) }
                    seen.append(s)
                    t = rl.target
                    if t == nil { return .finished }
                    continue
                }
                if !worstCase { code += radix[b] }
            }
            let key = s * radixProduct + code
            if let n = index[key] { return .node(n) }
            let n = nodeState.count
            index[key] = n
            nodeState.append(s)
            nodeRounds.append(code)
            outcomeBase.append(0)
            parent.append(nil)
            facts.append(nil)
            byTimer.append(false)
            return .node(n)
        }
    }

    // MARK: what certainly holds

    private mutating func propagateFacts(from first: Int, _ initial: [Int]) {
        facts[first] = initial
        var work = [first]
        var queued = [Bool](repeating: false, count: nodeState.count)
        queued[first] = true
        let concurrent = ways.concurrentWrites[region]
        while let n = work.popLast() {
            queued[n] = false
            guard let f = facts[n] else { continue }
            let s = nodeState[n]
            for (ei, exit) in ways.exits[s].enumerated() {
                for (ai, alt) in exit.alternatives.enumerated() {
                    let reached = reachedNodes(n, ei, ai)
                    if reached.isEmpty { continue }
                    // Forget what the step may change, then add what it makes certain.
                    var out = f.filter { t in
                        let fields = ways.table.tokenFields[t]
                        return !Liveness.intersects(fields, alt.writes) && (concurrent.isEmpty || !Liveness.intersects(fields, concurrent))
                    }
                    var gens = alt.gens
                    if !concurrent.isEmpty { gens = gens.filter { !Liveness.intersects(ways.table.tokenFields[$0], concurrent) } }
                    if !gens.isEmpty { out = WaysOut.sortedUnique(out + gens) }
                    for m in reached {
                        let merged = facts[m].map { Liveness.intersection($0, out) } ?? out
                        if facts[m] != merged {
                            facts[m] = merged
                            if !queued[m] { queued[m] = true; work.append(m) }
                        }
                    }
                }
            }
        }
    }

    /// What certainly holds in every configuration of `state` (nil when none was reached).
    func factsAt(state: Int) -> [Int]? {
        var result: [Int]?
        for n in nodeState.indices where nodeState[n] == state {
            guard let f = facts[n] else { continue }
            result = result.map { Liveness.intersection($0, f) } ?? f
        }
        return result
    }

    // MARK: can it finish?

    /// Whether condition `c` can be relied on for `alt` out of node `n`.
    func holds(_ c: Int, _ alt: WaysOut.Alternative, at n: Int) -> Bool {
        let cond = ways.table.conditions[c]
        if let f = facts[n], Liveness.isSubset([cond.token], of: f) { return true }
        if cond.trend == .eventuallyTrue { return true }
        // The person acting fills something it reads: they can give a value that makes it true.
        if !cond.readsItem, Liveness.intersects(cond.fields, alt.fillable) { return true }
        let s = nodeState[n]
        if Liveness.intersects(cond.fields, ways.selfWrites[s]) || Liveness.intersects(cond.fields, ways.concurrentWrites[region]) { return true }
        if cond.fields.isEmpty && !cond.readsItem && cond.trend == .timeless { return cond.text.trimmingSpaces != "false" }
        return false
    }

    /// The moves a node has (each a list of outcomes that the data may choose among), and
    /// for each exit that gives none, why. `stalled` marks automatic nodes that cannot move.
    func moves(_ n: Int, stalled: [Bool], explain: Bool = false) -> (moves: [[Outcome]], blocks: [(exit: Int, alt: Int, Block)]) {
        let s = nodeState[n]
        var moves: [[Outcome]] = []
        var blocks: [(exit: Int, alt: Int, Block)] = []
        let exits = ways.exits[s]
        for ei in exits.indices {
            let exit = exits[ei]
            let timer = exit.kind == .overdue || (exit.kind == .then && ir.states[s].kind == .wait)
            // Whether an alternative can be taken (its guard too, or not); checked in place.
            func open(_ ai: Int, guards: Bool) -> Bool {
                let alt = exit.alternatives[ai]
                switch outcome(n, ei, ai) {
                case .refused: return false
                case .node(let m) where stalled[m] && !timer: return false
                default: break
                }
                if guards { for c in alt.guardConditions where !holds(c, alt, at: n) { return false } }
                for c in alt.requirements where !holds(c, alt, at: n) { return false }
                return true
            }
            // Why it cannot (for the report only).
            func why(_ ai: Int, guards: Bool) -> [Block] {
                let alt = exit.alternatives[ai]
                var out: [Block] = []
                for c in (guards ? alt.guardConditions : []) + alt.requirements where !holds(c, alt, at: n) { out.append(.condition(c)) }
                switch outcome(n, ei, ai) {
                case .refused(let b): out.append(.rounds(b))
                case .node(let m) where stalled[m] && !timer: out.append(.automatic(m))
                default: break
                }
                return out
            }
            func all() -> [Outcome] { (0..<exit.alternatives.count).map { outcome(n, ei, $0) } }
            switch exit.kind {
            case .event:
                var produced = false
                for ai in exit.alternatives.indices where open(ai, guards: true) {
                    moves.append([outcome(n, ei, ai)])
                    produced = true
                }
                // The data picks among guarded alternatives that cover every case.
                if exit.alternatives.count > 1, exit.exhaustive, exit.alternatives.indices.allSatisfy({ open($0, guards: false) }) {
                    moves.append(all())
                    produced = true
                }
                if !produced && explain {
                    for ai in exit.alternatives.indices {
                        for b in why(ai, guards: true) { blocks.append((ei, ai, b)) }
                    }
                }
            case .then, .overdue:
                if open(0, guards: false) { moves.append([outcome(n, ei, 0)]) } else if explain { blocks += why(0, guards: false).map { (ei, 0, $0) } }
            case .choice:
                // The arms cover every case (WFC5008 checks that); the data picks one.
                if exit.alternatives.indices.allSatisfy({ open($0, guards: false) }) {
                    moves.append(all())
                } else if explain {
                    for ai in exit.alternatives.indices { blocks += why(ai, guards: false).map { (ei, ai, $0) } }
                }
            }
        }
        return (moves, blocks)
    }

    /// An automatic state: it moves on by itself within the step that entered it.
    func isAutomatic(_ s: Int) -> Bool {
        let st = ir.states[s]
        return st.kind == .choice || (st.kind == .task && st.transitions.isEmpty && (st.then != nil || st.thenJoin))
    }

    private(set) var stalled: [Bool] = []

    /// Which nodes can finish: a least fixpoint from the finishing moves backwards.
    private mutating func solve() {
        let count = nodeState.count
        // Automatic states that cannot move on refuse the step into them (outside timers).
        stalled = [Bool](repeating: false, count: count)
        var changed = true
        var rounds = 0
        while changed && rounds < 64 {
            changed = false
            rounds += 1
            for n in 0..<count where isAutomatic(nodeState[n]) && !stalled[n] {
                if moves(n, stalled: stalled).moves.isEmpty {
                    stalled[n] = true
                    changed = true
                }
            }
        }
        var allMoves: [[[Outcome]]] = []
        allMoves.reserveCapacity(count)
        var preds = [[Int]](repeating: [], count: count)
        for n in 0..<count {
            let m = moves(n, stalled: stalled).moves
            allMoves.append(m)
            for move in m {
                for o in move { if case .node(let t) = o { preds[t].append(n) } }
            }
        }
        good = [Bool](repeating: false, count: count)
        var work = Array((0..<count).reversed())
        func finishes(_ o: Outcome) -> Bool {
            switch o {
            case .finished: return true
            case .node(let t): return good[t]
            case .refused: return false
            }
        }
        while let n = work.popLast() {
            guard !good[n] else { continue }
            if allMoves[n].contains(where: { $0.allSatisfy(finishes) }) {
                good[n] = true
                work.append(contentsOf: preds[n])
            }
        }
        self.allMoves = allMoves
    }

    private var allMoves: [[[Outcome]]] = []

    // MARK: reporting

    /// The path from the region's start to `n`: states and the steps between them.
    func path(to n: Int) -> String {
        var steps: [(Int, String)] = []
        var cur = n
        while let p = parent[cur] {
            let exit = ways.exits[nodeState[p.node]][p.exit]
            steps.append((cur, exit.alternatives[p.alt].label))
            cur = p.node
        }
        var text = "`\(ir.states[nodeState[cur]].name)`"
        for (node, label) in steps.reversed() { text += " —\(label)→ `\(ir.states[nodeState[node]].name)`" }
        return text
    }

    /// The shortest path to some configuration of `state`.
    func path(toState state: Int) -> String {
        guard let n = nodeState.indices.first(where: { nodeState[$0] == state }) else { return "`\(ir.states[state].name)`" }
        return path(to: n)
    }

    /// Reports each place a case can get stuck: the first configuration (on a shortest path)
    /// of each closed group of configurations that cannot finish.
    func report(prefix: String, reported: inout Set<String>, _ d: inout [Diagnostic]) {
        let count = nodeState.count
        guard good.contains(false) else { return }
        // Edges among the configurations that cannot finish.
        var succ = [[Int]](repeating: [], count: count)
        for n in 0..<count where !good[n] {
            for move in allMoves[n] {
                for o in move { if case .node(let t) = o, !good[t], !succ[n].contains(t) { succ[n].append(t) } }
            }
        }
        let comps = Self.components(count: count, include: { !good[$0] }, succ: succ)
        var componentOf = [Int](repeating: -1, count: count)
        for (ci, c) in comps.enumerated() { for n in c { componentOf[n] = ci } }
        for (ci, comp) in comps.enumerated() {
            // Only closed groups: from the others the case can still move into one of these.
            guard !comp.contains(where: { n in succ[n].contains { componentOf[$0] != ci } }) else { continue }
            // The root cause: a configuration (first reached) with a way out that is blocked.
            for n in comp.sorted() {
                let s = nodeState[n]
                if isAutomatic(s) && !byTimer[n] { continue } // the step into it is refused instead
                let blocks = moves(n, stalled: stalled, explain: true).blocks
                guard !blocks.isEmpty else { continue }
                diagnose(n, blocks, prefix: prefix, reported: &reported, &d)
                break
            }
        }
    }

    private func diagnose(_ n: Int, _ blocks: [(exit: Int, alt: Int, Block)], prefix: String, reported: inout Set<String>, _ d: inout [Diagnostic]) {
        let s = ir.states[nodeState[n]]
        let counterexample = "a case that gets stuck: " + prefix + path(to: n)
        var reasons: [String] = []
        var firstCondition: Condition?
        var unknownOnly = true
        var roundStates: [Int] = []
        for (ei, ai, b) in blocks {
            let exit = ways.exits[s.id][ei]
            let alt = exit.alternatives[ai]
            let step = describe(exit.kind, alt, in: s)
            switch b {
            case .condition(let c):
                let cond = ways.table.conditions[c]
                if firstCondition == nil { firstCondition = cond }
                if cond.trend != .unknown { unknownOnly = false }
                reasons.append("\(step) needs `\(cond.text)`: " + why(cond, alt, in: s))
            case .rounds(let b):
                unknownOnly = false
                if !roundStates.contains(b) { roundStates.append(b) }
                let limit = ir.states[b].maxRounds ?? 0
                reasons.append("\(step) is refused: the \(limit) rounds of `\(ir.states[b].name)` are used up (WFC6014)")
            case .automatic(let m):
                unknownOnly = false
                let a = ir.states[nodeState[m]]
                reasons.append("\(step) is refused: `\(a.name)` moves on by itself, and cannot here")
            }
        }
        if let cond = firstCondition {
            let code = unknownOnly ? "u" : "r"
            guard reported.insert(code + s.name).inserted else { return }
            let fields = cond.fields.map { id in ir.fields.first { $0.id == id }?.name ?? "#\(id)" }
            let help = fields.isEmpty
                ? "give `\(s.name)` another way on (an overdue `to:`, a withdrawal, an escalation to a person who decides)"
                : "let a step of `\(s.name)` fill \(fields.map { "`\($0)`" }.joined(separator: ", ")) (`fills:`), require it on every step into `\(s.name)`, or give `\(s.name)` another way on (an overdue `to:` or a withdrawal)"
            if unknownOnly {
                d.append(Diagnostic(LivenessUnproven(what: "state `\(s.name)`", reason: "wfc cannot tell whether `\(cond.text)` becomes true as time passes"),
                                    at: g.source(cond.span), label: "reads the time in a form the proof does not follow",
                                    secondary: [Label(g.source(s.span), "the case may stay here")], notes: [counterexample] + reasons, help: help))
            } else {
                d.append(Diagnostic(StuckRequirement(state: s.name), at: g.source(cond.span), label: "may never hold here",
                                    secondary: [Label(g.source(s.span), "stuck here")], notes: [counterexample] + reasons, help: help))
            }
        } else if let b = roundStates.first, worstCase {
            // Counted in the worst case: the limits may not all be used up at once.
            guard reported.insert("w\(b)" + s.name).inserted else { return }
            let names = roundStates.map { "`\(ir.states[$0].name)`" }.joined(separator: ", ")
            d.append(Diagnostic(
                LivenessUnproven(what: "state `\(s.name)`", reason: "its ways on are refused once the rounds of \(names) are used up, and the round limits of this region have too many combinations to follow which can be used up together"),
                at: g.source(s.span), label: "may be stuck here", notes: ["in the worst case, after " + prefix + path(to: n)] + reasons,
                help: "give `\(s.name)` a way on that no round limit refuses (a withdrawal, an overdue `to:`), or `then:` on the `max_rounds` of \(names)"))
        } else if let b = roundStates.first {
            guard reported.insert("t\(b)" + s.name).inserted else { return }
            let bs = ir.states[b]
            let limit = bs.maxRounds ?? 0
            d.append(Diagnostic(
                RoundLimitTrapMessage(state: bs.name, limit: limit, stuck: [s.name]),
                at: g.source(bs.roundLimit?.span ?? bs.span), label: "no `then:` for when the \(limit) rounds are used up",
                secondary: [Label(g.source(s.span), "stuck here")],
                notes: [counterexample] + reasons,
                help: "add `then:` to `max_rounds`: `max_rounds: {limit: \(limit), then: STATE, escalate: ROLE, violation: TEXT}`, the state the flow goes to once the rounds are used up (e.g. a decision by the responsible role), or give `\(s.name)` another way on"))
        } else if !blocks.isEmpty {
            guard reported.insert("a" + s.name).inserted else { return }
            d.append(Diagnostic(StuckRequirement(state: s.name), at: g.source(s.span), label: "stuck here", notes: [counterexample] + reasons,
                                help: "make the automatic state after `\(s.name)` able to move on, or give `\(s.name)` another way on"))
        }
    }

    private func describe(_ kind: WaysOut.Kind, _ alt: WaysOut.Alternative, in s: StateIR) -> String {
        let target = alt.target.map { ir.states.indices.contains($0) ? "`\(ir.states[$0].name)`" : "?" } ?? "`join`"
        switch kind {
        case .event(let name): return "`\(name)` → \(target)"
        case .then:
            switch s.kind {
            case .signoff: return "`then` → \(target) (when the sign-off is complete)"
            case .wait: return "`then` → \(target) (when the wait is over)"
            case .parallel, .foreach: return "`then` → \(target) (when every branch has joined)"
            default: return "`then` → \(target)"
            }
        case .overdue: return "the overdue `to:` → \(target)"
        case .choice: return "the choice's arm → \(target)"
        }
    }

    private func why(_ cond: Condition, _ alt: WaysOut.Alternative, in s: StateIR) -> String {
        let fields = cond.fields.map { id in ir.fields.first { $0.id == id }?.name ?? "#\(id)" }
        var text: String
        switch cond.trend {
        case .expiring: text = "time can make it false for good"
        case .unknown: text = "wfc cannot tell how time changes it"
        default: text = "it may be false when `\(s.name)` is entered"
        }
        if cond.readsItem {
            text += ", and it reads the foreach item, which does not change"
        } else if fields.isEmpty {
            text += ", and nothing can change it"
        } else {
            let list = fields.map { "`\($0)`" }.joined(separator: ", ")
            text += alt.fillable.isEmpty && alt.label == "then"
                ? ", and no step of `\(s.name)` can change \(list) (a signature or timer carries no data)"
                : ", and no step of `\(s.name)` can change \(list)"
        }
        return text
    }

    /// Strongly connected components of the included nodes (Tarjan, iterative).
    static func components(count: Int, include: (Int) -> Bool, succ: [[Int]]) -> [[Int]] {
        var idx = [Int](repeating: -1, count: count), low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = [], result: [[Int]] = []
        var next = 0
        for root in 0..<count where include(root) && idx[root] < 0 {
            var work: [(Int, Int)] = [(root, 0)]
            idx[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while let (v, e) = work.last {
                if e < succ[v].count {
                    work[work.count - 1].1 += 1
                    let w = succ[v][e]
                    if idx[w] < 0 {
                        idx[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], idx[w])
                    }
                } else {
                    work.removeLast()
                    if let (p, _) = work.last { low[p] = min(low[p], low[v]) }
                    if low[v] == idx[v] {
                        var comp: [Int] = []
                        while let w = stack.popLast() {
                            onStack[w] = false
                            comp.append(w)
                            if w == v { break }
                        }
                        result.append(comp)
                    }
                }
            }
        }
        return result
    }
}

extension String {
    fileprivate var trimmingSpaces: String { String(filter { $0 != " " }) }
}

struct StuckRequirement: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5019", name: "stuck-requirement", summary: "A case can get stuck: no way out of a state can be taken.",
        explanation: """
            The liveness proof found a state that a case can reach and then never leave: each of \
            its ways out needs a condition that may be false when the case gets there, and that \
            nothing in the state can make true — no event of the state fills what it reads, time \
            does not make it true, and no earlier step made sure of it. A sign-off's `then` is the \
            usual case: a signature carries no data, so a `requires: {all_done: items}` on a \
            sign-off state that nobody ticks in advance blocks the last signature forever. The \
            note shows a path that gets there. Fill the fields in the state, require the \
            condition on the way in, or add another way out (an overdue `to:`, a withdrawal).
            """,
        example: "execute:\n  signoff: [handover, receiver]\n  requires: {all_done: items}\n  then: done\n",
        fix: "prepare:\n  fills: [items]\n  on:\n    ready: {by: handover, to: execute, requires: {all_done: items}}\nexecute:\n  signoff: [handover, receiver]\n  requires: {all_done: items}\n  then: done\n")
    var state: String
    var message: String { "a case can get stuck in `\(state)`: none of its ways out can be taken" }
}

struct LivenessUnproven: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5020", severity: .warning, name: "liveness-unproven",
        summary: "wfc could not prove that a case can always finish here.",
        explanation: """
            The liveness proof says so, instead of passing silently, where it cannot decide: when \
            a state is stuck only in the worst case of a region with many round limits (more than \
            256 combinations of round counts, so the proof assumes every limit of the cycle may be \
            used up at once), or when the only way out of a state needs a condition on the time \
            that it cannot follow (it follows `today`, `now`, `add_working_days`, `add_days`, \
            `add_months`, `days_between` and `working_days_between` compared with `<`, `<=`, \
            `>`, `>=`, `==` and `!=`). Give the state a way out that no round limit refuses, \
            `then:` on the limits, or rewrite the condition in one of those forms, or give the \
            state another way out.
            """,
        example: "wait_out:\n  on:\n    close: {by: hr, to: done, when: \"today.getDayOfWeek() == 1\"}\n",
        fix: "wait_out:\n  on:\n    close: {by: hr, to: done, when: \"today >= case.last_day\"}\n")
    var what: String
    var reason: String
    var message: String { "cannot prove that a case can always finish in \(what): \(reason)" }
}
