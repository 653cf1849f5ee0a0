import WFCService
import Foundation
import WFCDiagnostics
import WFCIR
import WFCRuntime

/// `wfc run`: a case file and an events file run in memory, with the engine's trace.
public enum ScriptedRun {
    /// One step of the run as it happened.
    public struct Entry: Sendable {
        public var step: String
        public var at: Date
        public var result: StepResult
        /// A refusal as a diagnostic at the policy line.
        public var refusal: Diagnostic?
    }

    /// The outcome of a run.
    public struct Outcome: Sendable {
        public var entries: [Entry] = []
        /// Refusals and failed expectations, rendered with the policy lines.
        public var diagnostics: [Diagnostic] = []
        public var sources: [SourceFile] = []
        public var final: CaseSnapshot?
        public var activeStates: [String] = []
        public var timeZone: TimeZone = .current
        /// How many steps were refused.
        public var refused = 0
    }

    /// Loads the three files and runs the events in order; a refused event is reported and
    /// the run goes on with the case unchanged.
    public static func run(workflow path: String, caseFile: String, eventsFile: String, input: InputSettings = InputSettings()) throws(CommandFailure) -> Outcome {
        var out = Outcome()
        let w: LoadedWorkflow
        switch LoadedWorkflow.load(path, compiler: input.compiler) {
        case .success(let loaded): w = loaded
        case .failure(let f):
            out.diagnostics = f.diagnostics
            out.sources = f.sources
            if f.diagnostics.isEmpty { throw CommandFailure(f.status, f.message) }
            return out
        }
        out.sources = w.sources
        let c = try input.read(caseFile)
        let e = try input.read(eventsFile)
        out.sources += [c, e]
        var parser = ScenarioParser(loader: input.loader)
        let parsed = parser.script(caseFile: c, eventsFile: e)
        out.diagnostics += parsed.diagnostics
        guard let scenario = parsed.scenario else { return out }
        let log = EntryLog()
        var runner = ScenarioRunner(workflow: w)
        runner.stopOnRefusal = false
        let fallback = SourceSpan.point(e.path, 0)
        // Invalid case data points at the value in the case file.
        let caseData = parsed.caseFile
        runner.observe = { step, result, now in
            log.append(Entry(step: step, at: now, result: result, refusal: result.refusal.map { r in
                w.diagnostic(r, fallback: step == "start" ? caseData.span(for: r, fallback: fallback) : fallback)
            }))
        }
        var coverage = Coverage(workflow: path)
        let result = runner.run(scenario, file: e.path, index: 0, coverage: &coverage)
        out.entries = log.entries
        // Refusals are shown inline with their step; keep the rest (bad times, expectations).
        let inline = Set(RuntimeDiagnostics.all.map(\.code)).union([UnexpectedRefusal.descriptor.code])
        out.diagnostics += result.failures.filter { !inline.contains($0.code) }
        out.refused = out.entries.filter { $0.refusal != nil }.count
        out.final = out.entries.last { $0.result.snapshot != nil }?.result.snapshot
        if let snap = out.final { out.activeStates = Show.activeStates(w.definition, snap) }
        out.timeZone = w.definition.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
        return out
    }
}

/// Collects entries from the runner's observer.
final class EntryLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [ScriptedRun.Entry] = []
    func append(_ e: ScriptedRun.Entry) { lock.lock(); items.append(e); lock.unlock() }
    var entries: [ScriptedRun.Entry] { lock.lock(); defer { lock.unlock() }; return items }
}

extension ScriptedRun.Outcome {
    /// The trace for people: each step, what the engine did, refusals with the policy line.
    public func render(_ output: DiagnosticOutput) -> String {
        let map = SourceMap(sources)
        var out = ""
        for e in entries {
            switch e.result {
            case .accepted(let step):
                out += "\(ClockText.format(e.at, timeZone: timeZone))  \(e.step)  → version \(step.snapshot.version)\(step.duplicate ? " (duplicate key, nothing changed)" : "")\n"
                for t in step.trace { out += "    \(t.kind.rawValue): \(t.detail)\n" }
            case .refused(let r):
                out += "\(ClockText.format(e.at, timeZone: timeZone))  \(e.step)  ✘ refused (\(RuntimeDiagnostics.descriptor(r.kind).name))\n"
                if let d = e.refusal { out += output.render([d], sources: map) }
            }
        }
        if !diagnostics.isEmpty {
            out += "\n" + output.render(diagnostics.sortedForOutput(), sources: map)
        }
        if let snap = final {
            out += "\nfinal: \(snap.status.rawValue), active [\(activeStates.joined(separator: ", "))], version \(snap.version), "
                + "\(snap.violations.count) violation(s), \(snap.escalations.count) escalation(s)\n"
        }
        return out
    }
}
