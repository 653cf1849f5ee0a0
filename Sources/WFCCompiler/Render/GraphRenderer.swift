import WFCIR

/// Draws the state graph as Mermaid (renders on GitHub) or Graphviz DOT: state titles in
/// the language they were written in, roles on the edges, final states marked.
public struct GraphRenderer: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case mermaid, dot
    }

    public let ir: WorkflowIR

    public init(_ ir: WorkflowIR) {
        self.ir = ir
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .mermaid: mermaid()
        case .dot: dot()
        }
    }

    // MARK: labels

    func title(_ s: StateIR) -> String {
        let t = s.title ?? s.name
        return s.title == nil ? t : "\(t) (\(s.name))"
    }

    func roles(_ ids: [Int]) -> String {
        ids.map { ir.roles[$0].title ?? ir.roles[$0].name }.joined(separator: "/")
    }

    struct DrawnEdge {
        var from: Int
        var to: Int?
        var label: String
        var dashed: Bool
    }

    func edges(of s: StateIR) -> [DrawnEdge] {
        var out: [DrawnEdge] = []
        for t in s.transitions {
            var label = t.event
            if !t.roles.isEmpty { label += " · " + roles(t.roles) }
            if t.guardExpr != nil { label += " [条件]" }
            out.append(DrawnEdge(from: s.id, to: t.target, label: label, dashed: false))
        }
        for arm in s.choice { out.append(DrawnEdge(from: s.id, to: arm.target, label: arm.condition.source, dashed: false)) }
        if let o = s.otherwise { out.append(DrawnEdge(from: s.id, to: o, label: "otherwise", dashed: false)) }
        if s.thenJoin {
            out.append(DrawnEdge(from: s.id, to: nil, label: s.signoff.map { "签字完成 · " + roles($0.all + $0.of) } ?? "then", dashed: false))
        }
        if let t = s.then {
            var label = "then"
            if let so = s.signoff { label = "签字完成 · " + roles(so.all + so.of) }
            if s.kind == .parallel || s.kind == .foreach { label = "全部完成" }
            out.append(DrawnEdge(from: s.id, to: t, label: label, dashed: false))
        }
        if let due = s.due, let t = due.target { out.append(DrawnEdge(from: s.id, to: t, label: "逾期", dashed: true)) }
        // Drawn from the bounded state: the step that would enter it once more goes there.
        if let limit = s.roundLimit, limit.redirects, let n = s.maxRounds {
            out.append(DrawnEdge(from: s.id, to: limit.target, label: "超过\(n)轮", dashed: true))
        }
        return out
    }

    // MARK: Mermaid

    /// Mermaid keywords cannot be state ids.
    static let mermaidReserved: Set<String> = ["end", "state", "note", "direction", "class", "classDef", "click", "style", "as", "left", "right", "of"]

    func mid(_ s: StateIR) -> String { Self.mermaidReserved.contains(s.name) ? s.name + "_" : s.name }

    func mermaid() -> String {
        var lines = ["stateDiagram-v2", "    %% \(mermaidText(ir.title)) (\(ir.id) v\(ir.version))"]
        mermaidRegion(0, indent: "    ", into: &lines)
        lines.append("    classDef final fill:#e8f5e9,stroke:#2e7d32")
        lines.append("    classDef stopped fill:#fbe9e7,stroke:#c62828")
        let completed = ir.states.filter { $0.isFinal && $0.outcome == "completed" }.map(mid)
        let stopped = ir.states.filter { $0.isFinal && $0.outcome != "completed" }.map(mid)
        if !completed.isEmpty { lines.append("    class \(completed.joined(separator: ",")) final") }
        if !stopped.isEmpty { lines.append("    class \(stopped.joined(separator: ",")) stopped") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func mermaidRegion(_ region: Int, indent: String, into lines: inout [String]) {
        let r = ir.regions[region]
        for id in r.states {
            let s = ir.states[id]
            if s.kind == .choice {
                lines.append("\(indent)state \(mid(s)) <<choice>>")
            } else if !s.regions.isEmpty {
                lines.append("\(indent)state \"\(mermaidText(title(s)))\" as \(mid(s)) {")
                for (i, sub) in s.regions.enumerated() {
                    if i > 0 { lines.append("\(indent)    --") }
                    if s.kind == .foreach, let list = ir.regions[sub].list {
                        lines.append("\(indent)    %% for each \(ir.regions[sub].alias ?? "item") in \(mermaidText(list.source))")
                    }
                    mermaidRegion(sub, indent: indent + "    ", into: &lines)
                }
                lines.append("\(indent)}")
            } else {
                var t = title(s)
                if let o = s.outcome { t += " ⟨\(o)⟩" }
                lines.append("\(indent)state \"\(mermaidText(t))\" as \(mid(s))")
            }
        }
        if let start = r.start { lines.append("\(indent)[*] --> \(mid(ir.states[start]))") }
        for id in r.states {
            let s = ir.states[id]
            for e in edges(of: s) {
                let target = e.to.map { mid(ir.states[$0]) } ?? "[*]"
                lines.append("\(indent)\(mid(s)) --> \(target) : \(mermaidText(e.label))")
            }
            if s.isFinal { lines.append("\(indent)\(mid(s)) --> [*]") }
        }
    }

    /// Mermaid labels may not contain `:`, `;`, `"` or `#`-entities that break parsing.
    private func mermaidText(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case ":": out += "："
            case ";": out += "；"
            case "\"": out += "'"
            case "\n": out += " "
            case "{", "}": out += c == "{" ? "(" : ")"
            default: out.append(c)
            }
        }
        return out
    }

    // MARK: DOT

    func dot() -> String {
        var lines = ["digraph \"\(dotText(ir.id))\" {", "    label=\"\(dotText(ir.title))\";", "    labelloc=t;",
                     "    node [shape=box, style=rounded, fontname=\"Noto Sans CJK SC\"];", "    edge [fontname=\"Noto Sans CJK SC\", fontsize=10];"]
        lines.append("    __start [shape=point];")
        dotRegion(0, indent: "    ", into: &lines)
        if let start = ir.regions[0].start { lines.append("    __start -> \(ir.states[start].name);") }
        for s in ir.states {
            for e in edges(of: s) {
                let target: String
                if let to = e.to {
                    target = ir.states[to].name
                } else if let owner = ir.regions[s.region].owner {
                    target = "__join_\(ir.states[owner].name)"
                } else {
                    continue
                }
                lines.append("    \(s.name) -> \(target) [label=\"\(dotText(e.label))\"\(e.dashed ? ", style=dashed" : "")];")
            }
            if !s.regions.isEmpty {
                for sub in s.regions {
                    if let st = ir.regions[sub].start { lines.append("    \(s.name) -> \(ir.states[st].name) [style=dotted];") }
                }
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func dotRegion(_ region: Int, indent: String, into lines: inout [String]) {
        for id in ir.regions[region].states {
            let s = ir.states[id]
            var attrs = "label=\"\(dotText(title(s)))\""
            switch s.kind {
            case .final: attrs += ", shape=doublecircle, style=\"\"" + (s.outcome == "completed" ? ", color=darkgreen" : ", color=firebrick")
            case .choice: attrs += ", shape=diamond, style=\"\""
            case .signoff: attrs += ", shape=box3d"
            default: break
            }
            lines.append("\(indent)\(s.name) [\(attrs)];")
            if !s.regions.isEmpty {
                for sub in s.regions {
                    lines.append("\(indent)subgraph cluster_\(ir.regions[sub].name)_\(sub) {")
                    lines.append("\(indent)    label=\"\(dotText(ir.regions[sub].title ?? ir.regions[sub].name))\";")
                    dotRegion(sub, indent: indent + "    ", into: &lines)
                    lines.append("\(indent)    __join_\(s.name)_\(sub) [shape=point];")
                    lines.append("\(indent)}")
                }
                lines.append("\(indent)__join_\(s.name) [shape=point];")
            }
        }
    }

    private func dotText(_ s: String) -> String {
        s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n")
    }
}
