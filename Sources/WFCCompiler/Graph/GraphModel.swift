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
    }

    let ir: WorkflowIR
    /// The workflow file's display path; IR spans are relative to its folder.
    let path: String
    private(set) var edges: [[Edge]]

    init(_ ir: WorkflowIR, path: String) {
        self.ir = ir
        self.path = path
        edges = ir.states.map { s in
            var out: [Edge] = []
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
            return out
        }
    }

    /// States reachable from `start` following `follow` edges.
    func reachable(from start: Int, follow: (Edge) -> Bool = { _ in true }) -> [Int: Int?] {
        var parent: [Int: Int?] = [start: nil]
        var queue = [start]
        var i = 0
        while i < queue.count {
            let s = queue[i]
            i += 1
            for e in edges[s] where follow(e) {
                if let t = e.to, parent[t] == nil {
                    parent[t] = s
                    queue.append(t)
                }
            }
        }
        return parent
    }

    /// The states of a path from the start to `end` in a BFS parent map.
    func path(to end: Int, _ parents: [Int: Int?]) -> [Int] {
        var p = [end]
        var cur = end
        while let next = parents[cur] ?? nil {
            p.append(next)
            cur = next
        }
        return p.reversed()
    }

    /// States from which an exit (a final state, or `join` in a branch) can be reached:
    /// a backwards search from the exits, linear in the region's size.
    func canFinish(region: Int) -> Set<Int> {
        let members = ir.regions[region].states
        var preds: [Int: [Int]] = [:]
        for s in members {
            for e in edges[s] { if let t = e.to { preds[t, default: []].append(s) } }
        }
        var good = Set(members.filter { ir.states[$0].isFinal || edges[$0].contains { $0.join } })
        var queue = Array(good)
        var i = 0
        while i < queue.count {
            let s = queue[i]
            i += 1
            for p in preds[s] ?? [] where good.insert(p).inserted { queue.append(p) }
        }
        return good
    }

    /// Strongly connected components of a region (Tarjan, iterative).
    func components(region: Int) -> [[Int]] {
        let members = ir.regions[region].states
        let inRegion = Set(members)
        var index = 0
        var indices: [Int: Int] = [:]
        var low: [Int: Int] = [:]
        var onStack = Set<Int>()
        var stack: [Int] = []
        var result: [[Int]] = []
        for root in members where indices[root] == nil {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            indices[root] = index; low[root] = index; index += 1
            stack.append(root); onStack.insert(root)
            while var top = work.last {
                let out = edges[top.node]
                if top.edge < out.count {
                    let e = out[top.edge]
                    top.edge += 1
                    work[work.count - 1] = top
                    guard let t = e.to, inRegion.contains(t) else { continue }
                    if indices[t] == nil {
                        indices[t] = index; low[t] = index; index += 1
                        stack.append(t); onStack.insert(t)
                        work.append((t, 0))
                    } else if onStack.contains(t) {
                        low[top.node] = min(low[top.node]!, indices[t]!)
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last {
                        low[parent.node] = min(low[parent.node]!, low[top.node]!)
                    }
                    if low[top.node] == indices[top.node] {
                        var comp: [Int] = []
                        while let w = stack.popLast() {
                            onStack.remove(w)
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
