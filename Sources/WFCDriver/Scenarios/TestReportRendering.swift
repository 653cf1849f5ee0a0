import Foundation
import WFCDiagnostics
import WFCIR
import WFCScenarios

extension TestReport {
    /// `N passed, N failed`.
    public var summary: String { "\(passed) passed, \(failed) failed" }

    /// One line per scenario (failures followed by their diagnostics), coverage when asked,
    /// then the summary line.
    public func render(_ output: DiagnosticOutput, coverage showCoverage: Bool) -> String {
        switch output.format {
        case .json: return json(coverage: showCoverage)
        case .human, .github, .sarif: break
        }
        let map = SourceMap(sources)
        let position = { (s: SourceSpan) -> String in
            guard let f = map[s.file] else { return s.file }
            return "\(s.file):\(f.lineColumn(of: s.start).line)"
        }
        var out = ""
        for (path, ds) in brokenFiles {
            out += "✘ \(path): cannot run\n"
            out += output.render(ds, sources: map)
        }
        for r in results {
            out += (r.passed ? "✔ " : "✘ ") + "\(position(r.span)) \(r.name)\n"
            if !r.passed { out += output.render(r.failures, sources: map) }
        }
        if showCoverage {
            out += coverageText(position: { s in
                let file = sources.first { $0.path == s.file || $0.path.hasSuffix("/" + s.file) }?.path ?? s.file
                return "\(file):\(s.line)"
            })
        }
        out += summary + "\n"
        return out
    }

    func coverageText(position: (SpanIR) -> String) -> String {
        var out = "\ncoverage:\n"
        for c in coverage {
            let states = c.totalStates - c.missedStates.count
            let transitions = c.totalTransitions - c.missedTransitions.count
            out += "  \(c.workflowPath): states \(states)/\(c.totalStates), transitions \(transitions)/\(c.totalTransitions)\n"
            for s in c.missedStates { out += "    state never entered: \(s.name) (\(position(s.span)))\n" }
            for t in c.missedTransitions { out += "    transition never taken: \(t.state) --\(t.event)--> \(t.target) (\(position(t.span)))\n" }
        }
        return out + "\n"
    }

    /// One JSON document (sorted keys): scenarios with their failures (as `wfc check --format
    /// json` objects), counts and coverage.
    func json(coverage showCoverage: Bool) -> String {
        let map = SourceMap(sources)
        func failures(_ ds: [Diagnostic]) -> [Any] {
            JSONLinesRenderer().render(ds, sources: map).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        }
        var scenarios: [[String: Any]] = brokenFiles.map { ["file": $0.path, "name": NSNull(), "passed": false, "failures": failures($0.diagnostics)] }
        for r in results {
            let line = map[r.span.file].map { $0.lineColumn(of: r.span.start).line } ?? 0
            scenarios.append(["file": r.file, "line": line, "name": r.name, "passed": r.passed, "steps": r.steps, "failures": failures(r.failures)])
        }
        var document: [String: Any] = ["scenarios": scenarios, "passed": passed, "failed": failed]
        if showCoverage {
            document["coverage"] = coverage.map { c -> [String: Any] in
                ["workflow": c.workflowPath, "states": c.totalStates, "transitions": c.totalTransitions,
                 "missedStates": c.missedStates.map(\.name),
                 "missedTransitions": c.missedTransitions.map { ["state": $0.state, "event": $0.event, "target": $0.target, "line": $0.span.line] }]
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
