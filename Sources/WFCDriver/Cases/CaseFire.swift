import WFCService
import Foundation
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCScenarios
import WFCStore
import WFCYAML

extension CaseCommands {
    /// `wfc case fire ID EVENT --as PERSON [--role R] [--item N] [--data FILE] [--key K] [--now T]`.
    /// The event runs against the case's pinned definition (never the YAML file).
    public func fire(id: String, event: String, actor: String, role: String?, item: Int?, dataFile: String?, key: String?, now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            var out = CaseOutput()
            var payload: [String: ValueIR] = [:]
            if let dataFile {
                let loaded: (file: SourceFile, root: YAMLNode?, diagnostics: [Diagnostic])
                do throws(CommandFailure) { loaded = try DataFiles.load(dataFile) } catch { throw CaseFailure(error.status, error.message) }
                if !loaded.diagnostics.isEmpty {
                    out.stderr = diagnosticOutput.render(loaded.diagnostics, sources: SourceMap([loaded.file]))
                    out.status = .diagnostics
                    return out
                }
                guard let m = YAMLValues.map(loaded.root) else {
                    throw CaseFailure(.diagnostics, "\(dataFile): the event data must be a mapping of case fields")
                }
                payload = m
            }
            let store = try open()
            let current: StoredCase
            do throws(StoreError) { current = try await store.load(id) } catch { throw CaseFailure(error) }
            let tz = current.definition.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
            let at = try time(now, tz)
            if let now { out.stderr += timeNote(now, at, tz, zone: Self.zoneReason(current.definition)) }
            let outcome: FireOutcome
            do throws(StoreError) {
                outcome = try await store.fire(id, Event(event, actor: actor, payload: payload, idempotencyKey: key, item: item, role: role), now: at)
            } catch { throw CaseFailure(error) }
            let def = current.definition
            switch outcome {
            case .accepted(let step, let audit):
                if format == .json {
                    out.stdout = json(FireView(outcome: "accepted", id: id, seq: audit.seq, hash: audit.hash, version: step.snapshot.version,
                                               status: step.snapshot.status.rawValue, active: Show.activeStates(def, step.snapshot),
                                               effects: step.effects.map(describe), refusal: nil))
                } else {
                    out.stdout = "\(id): \(event) accepted (event \(audit.seq), version \(step.snapshot.version)); now \(Show.activeStates(def, step.snapshot).joined(separator: ", "))"
                        + (step.snapshot.status == .running ? "" : " — case \(step.snapshot.status.rawValue)") + "\n"
                    for e in step.effects { out.stdout += "  " + StoredText.escaped(describe(e)) + "\n" }
                }
            case .refused(let r, let audit):
                out.status = .diagnostics
                if format == .json {
                    out.stdout = json(FireView(outcome: "refused", id: id, seq: audit.seq, hash: audit.hash, version: current.snapshot.version,
                                               status: current.snapshot.status.rawValue, active: Show.activeStates(def, current.snapshot), effects: [], refusal: RefusalView(r)))
                } else {
                    out.stderr += await render([r], store: store, definitionHash: def.hash, fallback: .point("<case \(id)>", 0))
                    out.stdout = "\(id): \(event) refused (recorded as event \(audit.seq)); nothing changed\n"
                }
            case .replayed(let a):
                let o = a.decodedOutcome
                let refusal = o?.refusal?.refusal
                if refusal != nil { out.status = .diagnostics }
                if format == .json {
                    out.stdout = json(FireView(outcome: "replayed", id: id, seq: a.seq, hash: a.hash, version: o?.version ?? 0, status: o?.status ?? "",
                                               active: o?.active ?? [], effects: [], refusal: refusal.map(RefusalView.init)))
                } else {
                    out.stdout = "\(id): key `\(StoredText.escaped(key ?? ""))` was already used by event \(a.seq) (\(StoredText.escaped(a.name)) by \(StoredText.escaped(a.actor ?? "-")) at \(a.time)): "
                        + (refusal == nil ? "accepted, version \(o?.version ?? 0)" : "refused") + "; nothing new was recorded\n"
                    if let refusal { out.stderr += await render([refusal], store: store, definitionHash: def.hash, fallback: .point("<case \(id)>", 0)) }
                }
            }
            return out
        }
    }

    func describe(_ e: Effect) -> String { EffectText.describe(e) }
}

struct FireView: Encodable {
    var outcome, id: String
    var seq: Int
    var hash: String
    var version: Int
    var status: String
    var active: [String]
    var effects: [String]
    var refusal: RefusalView?
}
