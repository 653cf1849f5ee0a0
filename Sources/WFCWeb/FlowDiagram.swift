import Foundation
import WFCCompiler
import WFCIR

/// The case's flow as SVG: `wfc graph --format dot` with the active states filled, drawn by
/// Graphviz's `dot -Tsvg` in a subprocess with a time limit. Nil when `dot` is missing,
/// fails or is too slow; the page then lists the states instead.
actor FlowDiagram {
    /// How long `dot` may take before it is killed.
    let timeout: TimeInterval
    /// `dot`'s path; nil when it is not installed.
    let dotPath: String?
    private var cache: [String: String] = [:]

    init(timeout: TimeInterval = 5, dotPath: String? = FlowDiagram.findDot()) {
        self.timeout = timeout
        self.dotPath = dotPath
    }

    /// The first `dot` on `$PATH`.
    static func findDot() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The DOT text of `ir` with `active` states filled.
    static func dot(_ ir: WorkflowIR, active: [String]) -> String {
        var text = GraphRenderer(ir).render(.dot)
        // Later attributes of a node add to its first ones: the graph itself is unchanged.
        let known = Set(ir.states.map(\.name))
        let marks = active.filter { known.contains($0) }.map { "    \($0) [style=\"rounded,filled,bold\", fillcolor=\"#fde68a\", penwidth=2];" }
        if let close = text.range(of: "}\n", options: .backwards), !marks.isEmpty {
            text.replaceSubrange(close, with: marks.joined(separator: "\n") + "\n}\n")
        }
        return text
    }

    /// The SVG element (without the XML prologue), or nil.
    func svg(_ ir: WorkflowIR, hash: String, active: [String]) -> String? {
        guard let dotPath else { return nil }
        let key = hash + "|" + active.joined(separator: ",")
        if let hit = cache[key] { return hit }
        guard let out = Self.run(dotPath, input: Self.dot(ir, active: active), timeout: timeout),
              let start = out.range(of: "<svg") else { return nil }
        let svg = String(out[start.lowerBound...])
        if cache.count > 256 { cache.removeAll() }
        cache[key] = svg
        return svg
    }

    /// Runs `dot -Tsvg` on `input`; nil on failure or after `timeout`. The DOT text and the
    /// SVG go through temporary files: no pipe can fill up, and no write can hit a `dot` that
    /// has already died (SIGPIPE).
    static func run(_ path: String, input: String, timeout: TimeInterval) -> String? {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-flow-\(UUID().uuidString)")
        let source = base.appendingPathExtension("dot"), out = base.appendingPathExtension("svg")
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: out)
        }
        guard (try? Data(input.utf8).write(to: source)) != nil else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-Tsvg", "-o", out.path, source.path]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            p.terminate()
            return nil
        }
        guard p.terminationStatus == 0, let data = try? Data(contentsOf: out) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
