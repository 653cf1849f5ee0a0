import WFCIR
import Foundation
import WFCDiagnostics

/// The edges of the state graph, per region, as the graph checks see them.
struct GraphModel {
    enum EdgeKind: Equatable {
        case event(transition: Int)
        case choice(arm: Int)
        case otherwise
        case then
        case overdue
    }

    struct Edge {
        var from: Int
        /// nil when the edge leaves the region (then ``join`` is set) or its target did not resolve.
        var to: Int?
        var join = false
        var kind: EdgeKind
        var label: String
        /// For the step taken instead when the rounds of bounded state `via` are used up (its
        /// `max_rounds` `then`): the edge keeps the kind of the step that headed into `via`.
        var via: Int? = nil
    }

    let ir: WorkflowIR
    /// The workflow file's display path; IR spans are relative to its folder.
    let path: String
    private(set) var edges: [[Edge]]
    /// Each state's position in its region's list, so per-region searches can use arrays.
    private let position: [Int]
    /// Components already worked out, by region: several checks ask for the same ones.
    private let componentCache = ComponentCache()

    private final class ComponentCache {
        var byRegion: [Int: [[Int]]] = [:]
    }

    init(_ ir: WorkflowIR, path: String) {
        self.ir = ir
        self.path = path
        var position = [Int](repeating: 0, count: ir.states.count)
        for r in ir.regions {
            for (i, s) in r.states.enumerated() { position[s] = i }
        }
        self.position = position
        // Where a step into each state goes when its rounds are used up, read once per state
        // (not once per edge into it).
        let redirects: [Redirect?] = ir.states.map { s in
            guard let limit = s.roundLimit, limit.redirects else { return nil }
            return Redirect(target: limit.target, join: limit.join)
        }
        edges = ir.states.map { s in
            var out: [Edge] = []
            // Room for each step's redirected copy too (see `appendRedirects`).
            out.reserveCapacity(2 * (s.transitions.count + s.choice.count + 2))
            for (i, t) in s.transitions.enumerated() {
                out.append(Edge(from: s.id, to: t.target, join: t.join, kind: .event(transition: i), label: t.event))
            }
            for (i, arm) in s.choice.enumerated() where arm.target != nil {
                out.append(Edge(from: s.id, to: arm.target, kind: .choice(arm: i), label: "choice"))
            }
            if let o = s.otherwise { out.append(Edge(from: s.id, to: o, kind: .otherwise, label: "otherwise")) }
            if let t = s.then { out.append(Edge(from: s.id, to: t, kind: .then, label: "then")) }
            if s.thenJoin { out.append(Edge(from: s.id, to: nil, join: true, kind: .then, label: "then")) }
            if let t = s.due?.target { out.append(Edge(from: s.id, to: t, kind: .overdue, label: "overdue")) }
            Self.appendRedirects(&out, redirects)
            return out
        }
    }

    /// A used-up round limit's `then`: the state it names, or `join`.
    struct Redirect {
        var target: Int?
        var join: Bool
    }

    /// Appends to `edges`, for each edge into a bounded state whose `max_rounds` names a
    /// `then`, the same step going there instead (followed on when that target is bounded
    /// too). `redirects` holds each state's `then`, by state id.
    static func appendRedirects(_ edges: inout [Edge], _ redirects: [Redirect?]) {
        func redirect(_ e: Edge) -> Redirect? {
            guard let b = e.to, redirects.indices.contains(b) else { return nil }
            return redirects[b]
        }
        var seen: [Int] = []
        for k in edges.indices {
            let e = edges[k]
            // Most edges lead to no such state: no list is made for them.
            guard redirect(e) != nil else { continue }
            var cur = e
            // The states passed through: the first apart, as most chains have one step.
            var first = -1
            seen.removeAll(keepingCapacity: true)
            while let b = cur.to, b != first, !seen.contains(b), let limit = redirect(cur) {
                if first < 0 { first = b } else { seen.append(b) }
                cur = Edge(from: e.from, to: limit.target, join: limit.join, kind: e.kind, label: e.label, via: b)
                edges.append(cur)
            }
        }
    }

    /// States reachable from `start` following `follow` edges.
    func reachable(from start: Int, follow: (Edge) -> Bool = { _ in true }) -> Reach {
        // Arrays indexed by state, not dictionaries: linear and cache-friendly on large graphs.
        var parent = [Int](repeating: Reach.unreached, count: ir.states.count)
        guard parent.indices.contains(start) else { return Reach(order: [], parent: parent) }
        parent[start] = Reach.root
        var queue = [start]
        var i = 0
        while i < queue.count {
            let s = queue[i]
            i += 1
            for e in edges[s] where follow(e) {
                if let t = e.to, parent.indices.contains(t), parent[t] == Reach.unreached {
                    parent[t] = s
                    queue.append(t)
                }
            }
        }
        return Reach(order: queue, parent: parent)
    }

    /// The states of a path from the start to `end` in a breadth-first search.
    func path(to end: Int, _ reach: Reach) -> [Int] {
        var p = [end]
        var cur = end
        while let next = reach.parent(of: cur) {
            p.append(next)
            cur = next
        }
        return p.reversed()
    }

    /// A path of states and the steps between them, as text: `apply —submit→ review`. A step
    /// that goes elsewhere because a round limit is used up says so:
    /// `prepare —ready→ done (round limit of `review`)`.
    func describe(_ path: [Int]) -> String {
        var out = path.first.map(name) ?? ""
        for (a, b) in zip(path, path.dropFirst()) {
            let steps = edges[a].filter { $0.to == b }
            let step = steps.first { $0.via == nil } ?? steps.first
            let label: String
            switch step?.kind {
            case .event?: label = step?.label ?? ""
            case .choice?, .otherwise?: label = "choice"
            case .overdue?: label = "deadline passes"
            default: label = "then"
            }
            out += " —\(label)→ " + name(b)
            if !steps.contains(where: { $0.via == nil }), let via = steps.first?.via { out += " (round limit of `\(name(via))`)" }
        }
        return out
    }

    /// Whether an exit (a final state, or `join` in a branch) can be reached from each state
    /// of the region (indexed by state id; false outside the region): a backwards search from
    /// the exits, linear in the region's size.
    func canFinish(region: Int) -> [Bool] {
        let members = ir.regions[region].states
        // Predecessors by position in the region, as a flat adjacency list.
        var predCount = [Int](repeating: 0, count: members.count + 1)
        for s in members {
            for e in edges[s] { if let t = e.to, t < position.count, isMember(t, region) { predCount[position[t] + 1] += 1 } }
        }
        for i in 1..<predCount.count { predCount[i] += predCount[i - 1] }
        var preds = [Int](repeating: 0, count: predCount[members.count])
        var fill = predCount
        for s in members {
            for e in edges[s] {
                if let t = e.to, t < position.count, isMember(t, region) { preds[fill[position[t]]] = s; fill[position[t]] += 1 }
            }
        }
        var isGood = [Bool](repeating: false, count: members.count)
        var queue: [Int] = []
        queue.reserveCapacity(members.count)
        for s in members where ir.states[s].isFinal || edges[s].contains(where: { $0.join }) {
            isGood[position[s]] = true
            queue.append(s)
        }
        var i = 0
        while i < queue.count {
            let p = position[queue[i]]
            i += 1
            for k in predCount[p]..<predCount[p + 1] {
                let q = preds[k]
                if !isGood[position[q]] { isGood[position[q]] = true; queue.append(q) }
            }
        }
        var byState = [Bool](repeating: false, count: ir.states.count)
        for s in queue { byState[s] = true }
        return byState
    }

    /// Whether state `s` belongs to `region` (edges leave a region only through bad input).
    private func isMember(_ s: Int, _ region: Int) -> Bool { ir.states.indices.contains(s) && ir.states[s].region == region }

    /// Strongly connected components of a region (Tarjan, iterative); worked out once per
    /// region and model.
    func components(region: Int) -> [[Int]] {
        if let known = componentCache.byRegion[region] { return known }
        let result = computeComponents(region: region)
        componentCache.byRegion[region] = result
        return result
    }

    private func computeComponents(region: Int) -> [[Int]] {
        let members = ir.regions[region].states
        // Per-state bookkeeping by position in the region; -1 = not yet visited.
        var indices = [Int](repeating: -1, count: members.count)
        var low = [Int](repeating: 0, count: members.count)
        var onStack = [Bool](repeating: false, count: members.count)
        var index = 0
        var stack: [Int] = []
        var result: [[Int]] = []
        for root in members where indices[position[root]] < 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            indices[position[root]] = index; low[position[root]] = index; index += 1
            stack.append(root); onStack[position[root]] = true
            while var top = work.last {
                let out = edges[top.node]
                let p = position[top.node]
                if top.edge < out.count {
                    let e = out[top.edge]
                    top.edge += 1
                    work[work.count - 1] = top
                    guard let t = e.to, ir.states[t].region == region else { continue }
                    let pt = position[t]
                    if indices[pt] < 0 {
                        indices[pt] = index; low[pt] = index; index += 1
                        stack.append(t); onStack[pt] = true
                        work.append((t, 0))
                    } else if onStack[pt] {
                        low[p] = min(low[p], indices[pt])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last {
                        let pp = position[parent.node]
                        low[pp] = min(low[pp], low[p])
                    }
                    if low[p] == indices[p] {
                        var comp: [Int] = []
                        while let w = stack.popLast() {
                            onStack[position[w]] = false
                            comp.append(w)
                            if w == top.node { break }
                        }
                        result.append(comp.sorted())
                    }
                }
            }
        }
        return result
    }

    func name(_ s: Int) -> String { ir.states[s].name }

    func span(_ s: Int) -> SourceSpan { source(ir.states[s].span) }

    /// An IR span as a diagnostic span, with the file's display path restored.
    func source(_ sp: SpanIR) -> SourceSpan { sp.source(workflowPath: path) }
}

/// What a breadth-first search reached, and from where.
struct Reach {
    static let unreached = -2
    static let root = -1
    /// The states reached, in the order reached (the start first).
    let order: [Int]
    /// Each state's predecessor in the search, ``root`` or ``unreached``.
    fileprivate let parent: [Int]

    func contains(_ s: Int) -> Bool { parent.indices.contains(s) && parent[s] != Self.unreached }

    /// The state the search reached `s` from; nil for the start and for unreached states.
    func parent(of s: Int) -> Int? {
        guard parent.indices.contains(s), parent[s] >= 0 else { return nil }
        return parent[s]
    }
}
