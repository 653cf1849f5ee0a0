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
    /// With `assign`, the people the event binds to the roles its transition assigns; with
    /// `reassignment` (`wfc case reassign`), a 转交 instead of the named event; with
    /// `actingFor`, the event is sent as that person's substitute (代理).
    public func fire(id: String, event: String, actor: String, role: String?, item: Int?, dataFile: String?, key: String?, now: String?,
                     assign: [String: String] = [:], reassignment: Reassignment? = nil, actingFor: String? = nil) async -> CaseOutput {
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
            return try await send(id: id, event: event, actor: actor, role: role, item: item, payload: payload, key: key, now: now,
                                  assign: assign, reassignment: reassignment, actingFor: actingFor)
        }
    }

    /// Sends one event (with its data) as ``fire(id:event:actor:role:item:dataFile:key:now:)``
    /// and ``addSigner(id:actor:person:position:reason:role:item:key:now:)`` do, and describes the outcome.
    func send(id: String, event: String, actor: String, role: String?, item: Int?, payload: [String: ValueIR], key: String?, now: String?,
              assign: [String: String] = [:], reassignment: Reassignment? = nil, actingFor: String? = nil) async throws(CaseFailure) -> CaseOutput {
        do {
            var out = CaseOutput()
            let base = try service(.readWrite)
            let acting = Principal.storeOperator(actingAs: actor)
            let current: StoredCase
            do throws(ServiceError) { current = try await base.storedCase(id, by: Self.operatorPrincipal) } catch { throw CaseFailure(error) }
            let def = current.definition
            let tz = def.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
            let at = try time(now, tz)
            if let now { out.stderr += timeNote(now, at, tz, zone: Self.zoneReason(def)) }
            let result: FireResult
            do throws(ServiceError) {
                if let r = reassignment {
                    result = try await base.at(at).reassign(caseID: id, ReassignRequest(role: r.role, person: r.person, task: r.task, item: item, reason: r.reason),
                                                            actor: acting, idempotencyKey: key)
                } else {
                    result = try await base.at(at).fire(caseID: id, FireRequest(event: event, role: role, item: item, data: payload, assign: assign.isEmpty ? nil : assign,
                                                                                actingFor: actingFor),
                                                        actor: acting, idempotencyKey: key)
                }
            } catch {
                if error.cause == nil { throw Self.serviceFailure(error) }
                guard case .refused(let r, let policy, let recorded?, let replayed) = error.cause else { throw CaseFailure(error) }
                out.status = .diagnostics
                let fallback = SourceSpan.point("<case \(id)>", 0)
                if replayed {
                    let o = recorded.decodedOutcome
                    if format == .json {
                        out.stdout = json(FireView(outcome: "replayed", id: id, seq: recorded.seq, hash: recorded.hash, version: o?.version ?? 0, status: o?.status ?? "",
                                                   active: o?.active ?? [], effects: [], refusal: RefusalView(r)))
                    } else {
                        out.stdout = replayLine(id, key: key, recorded, refused: true, version: 0)
                        out.stderr += render(r, policy: policy, fallback: fallback)
                    }
                } else if format == .json {
                    out.stdout = json(FireView(outcome: "refused", id: id, seq: recorded.seq, hash: recorded.hash, version: current.snapshot.version,
                                               status: current.snapshot.status.rawValue, active: Show.activeStates(def, current.snapshot), effects: [], refusal: RefusalView(r)))
                } else {
                    out.stderr += render(r, policy: policy, fallback: fallback)
                    out.stdout = zh ? "\(id)：\(event) 被拒绝（记录为事件 \(recorded.seq)）；没有任何改变\n"
                        : "\(id): \(event) refused (recorded as event \(recorded.seq)); nothing changed\n"
                }
                return out
            }
            if let first = result.firstEvent {
                if format == .json {
                    out.stdout = json(FireView(outcome: "replayed", id: id, seq: result.seq, hash: result.hash, version: result.version, status: result.status,
                                               active: result.active, effects: [], refusal: nil))
                } else {
                    out.stdout = replayLine(id, key: key, first, refused: false, version: result.version)
                }
            } else if format == .json {
                out.stdout = json(FireView(outcome: "accepted", id: id, seq: result.seq, hash: result.hash, version: result.version,
                                           status: result.status, active: result.active, effects: result.effects, refusal: nil))
            } else {
                let active = result.active.joined(separator: ", ")
                var line = zh ? "\(id)：\(event) 已接受（事件 \(result.seq)，版本 \(result.version)）；当前 \(active)"
                    : "\(id): \(event) accepted (event \(result.seq), version \(result.version)); now \(active)"
                if result.status != CaseStatus.running.rawValue { line += zh ? " — 案件\(result.status)" : " — case \(result.status)" }
                out.stdout = line + "\n"
                for e in result.effects { out.stdout += "  " + StoredText.escaped(e) + "\n" }
            }
            return out
        }
    }

    /// What a repeated idempotency key prints: the event that used it first, and its outcome.
    func replayLine(_ id: String, key: String?, _ a: AuditEvent, refused: Bool, version: Int) -> String {
        "\(id): key `\(StoredText.escaped(key ?? ""))` was already used by event \(a.seq) (\(StoredText.escaped(a.name)) by \(StoredText.escaped(a.actor ?? "-")) at \(a.time)): "
            + (refused ? "refused" : "accepted, version \(version)") + "; nothing new was recorded\n"
    }
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
