import WFCService
import Foundation
import WFCCalendar
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCStore

extension CaseCommands {
    /// `wfc case show ID [--now T]`: active states, open tasks and who may act, pending
    /// signatures, deadlines with working days left, checklist progress.
    public func show(id: String, now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let store = try service(.read)
            let c: StoredCase
            do throws(ServiceError) { c = try await store.storedCase(id, by: Self.operatorPrincipal) } catch { throw CaseFailure(error) }
            let def = c.definition, s = c.snapshot
            let tz = def.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
            let at = try time(now, tz)
            let view = CaseView(def, s, headSeq: c.headSeq, headHash: c.headHash, now: at)
            var out = CaseOutput()
            if let now { out.stderr += timeNote(now, at, tz, zone: Self.zoneReason(def)) }
            if format == .json { out.stdout = json(view); return out }
            // Stored text is shown escaped: it may predate the rules of StoredText.
            let e = StoredText.escaped
            let w = words
            var t = "\(w("case", "案件")) \(e(s.caseID)) · \(def.ir.id) (\(def.ir.title)) · \(w("version", "版本")) \(s.version) · \(w(s.status.rawValue, Self.statusZH[s.status.rawValue] ?? s.status.rawValue))\n"
            t += zh ? "定义 \(def.hash) · \(c.headSeq) 个审计事件，最新 \(c.headHash.prefix(12))\n" : "definition \(def.hash) · \(c.headSeq) audit events, head \(c.headHash.prefix(12))\n"
            t += "\(w("active: ", "当前："))\(view.active.isEmpty ? "-" : view.active.joined(separator: ", "))\n"
            if !view.tasks.isEmpty {
                t += w("open tasks:\n", "待办：\n")
                for task in view.tasks {
                    let who = zip(task.roles, task.people).map { "\($0) (\(e($1)))" }.joined(separator: ", ")
                    t += "  \(task.state)\(task.item.map { "[\($0)]" } ?? "")\(task.title.map { " \($0)" } ?? ""): \(task.events.joined(separator: " | ")) — \(who)\n"
                }
            }
            if !view.signoffs.isEmpty {
                t += w("pending signatures:\n", "待签：\n")
                for so in view.signoffs {
                    let signed = so.signed.isEmpty ? w("nobody yet", "尚无人签字") : so.signed.map { zh ? "\(e($0.person))（\($0.role)）" : "\(e($0.person)) as \($0.role)" }.joined(separator: ", ")
                    let missing = so.missing.map { r in "\(r) (\(so.person(of: r, people: s.people).map(e) ?? w("unbound", "未绑定")))" }
                    t += "  \(so.state)\(so.item.map { "[\($0)]" } ?? ""): \(w("signed by", "已签")) \(signed); \(w("missing", "待签")) \(missing.isEmpty ? "-" : missing.joined(separator: ", "))"
                        + (so.quorumLeft > 0 ? (zh ? "；还需 \(so.quorumLeft) 人" : "; \(so.quorumLeft) more of the quorum") : "") + "\n"
                    // 依次 / 或签 / 加签: the mode, whose turn it is, and who added whom.
                    if let mode = so.mode { t += "    \(w("mode", "方式")): \(mode == "in_order" ? w("in order (依次)", "依次") : w("any one (或签)", "或签"))" + (so.turn.map { $0.isEmpty ? "" : "; \(w("turn", "轮到")): " + $0.joined(separator: ", ") } ?? "") + "\n" }
                    else if let turn = so.turn, !turn.isEmpty { t += "    \(w("turn", "轮到")): \(turn.joined(separator: ", "))\n" }
                    for a in so.added ?? [] { t += "    \(w("added", "加签")): \(e(a.person)) \(a.position), \(w("by", "由")) \(e(a.by)) (\(a.byRole)): \(e(a.reason))\n" }
                }
            }
            if !view.deadlines.isEmpty {
                t += w("deadlines:\n", "期限：\n")
                for d in view.deadlines {
                    var left: String
                    if let n = d.workingDaysLeft {
                        left = n >= 0 ? (zh ? "还剩 \(n) 个工作日" : "\(n) working day\(n == 1 ? "" : "s") left")
                                      : (zh ? "已逾期 \(-n) 个工作日" : "overdue by \(-n) working day\(n == -1 ? "" : "s")")
                    } else { left = d.secondsLeft >= 0 ? (zh ? "还剩 \(d.secondsLeft / 3600) 小时" : "\(d.secondsLeft / 3600) h left") : w("overdue", "已逾期") }
                    if d.secondsLeft < 0, d.workingDaysLeft.map({ $0 >= 0 }) == true { left = w("overdue", "已逾期") }
                    t += "  \(d.state): \(d.kind) \(d.dueLocal) — \(left)" + (d.fired ? w(" (handled)", "（已处理）") : "") + (d.provisional.map { " (\($0))" } ?? "")
                        + (d.escalate.isEmpty ? "" : "; \(w("escalates to", "上报给")) \(d.escalate.joined(separator: ", "))") + "\n"
                }
            }
            for cl in view.checklists where cl.total > 0 || s.data[cl.field] != nil {
                t += zh ? "清单 \(cl.field)：已完成 \(cl.done)/\(cl.total)" + (cl.notDone.isEmpty ? "" : "；未完成：\(e(cl.notDone.joined(separator: "、")))") + "\n"
                        : "checklist \(cl.field): \(cl.done)/\(cl.total) done" + (cl.notDone.isEmpty ? "" : "; not done: \(e(cl.notDone.joined(separator: ", ")))") + "\n"
            }
            func whom(_ roles: [String], _ people: [String]) -> String { zip(roles, people).map { "\($0) (\(StoredText.escaped($1)))" }.joined(separator: ", ") }
            for v in s.violations { t += "\(w("violation at", "违规")) \(v.at): \(v.state): \(v.message)\n" }
            for x in s.escalations { t += "\(w("escalation at", "上报")) \(x.at): \(x.state) → \(whom(x.roles, x.people))\n" }
            for r in s.reminders { t += "\(w("reminder at", "催办")) \(r.at): \(r.state) #\(r.count) → \(whom(r.roles, r.people))\n" }
            for c in s.copies { t += "\(w("copy at", "抄送")) \(c.at): \(c.state) (\(c.on.rawValue)) → \(whom(c.roles, c.people))\n" }
            out.stdout = t
            return out
        }
    }

    /// `wfc case list [--workflow W] [--state S] [--overdue] [--now T]`.
    public func list(workflow: String?, state: String?, overdue: Bool, now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let base = try service(.read)
            let at = try time(now, .current)
            let store = base.at(at)
            // The service pages newest first; the table is by id.
            let cases = try await allCases(CaseListQuery(workflow: workflow, state: state, overdue: overdue), store).sorted { $0.id < $1.id }
            var out = CaseOutput()
            if let state, cases.isEmpty, let unknown = try await unknownState(state, workflow: workflow, store: store) {
                out.stderr = diagnosticOutput.render([unknown], sources: SourceMap())
                out.status = .usage
                return out
            }
            if let now { out.stderr += timeNote(now, at, .current, zone: "this machine's time zone") }
            if format == .json { out.stdout = json(["cases": cases]); return out }
            if cases.isEmpty { out.stdout = zh ? "没有案件\n" : "no cases\n"; return out }
            var rows = [zh ? ["编号", "流程", "状态", "版本", "当前", "下一期限", "逾期自"] : ["ID", "WORKFLOW", "STATUS", "VERSION", "ACTIVE", "NEXT DUE", "OVERDUE SINCE"]]
            for c in cases {
                rows.append([c.id, c.workflow, zh ? Self.statusZH[c.status] ?? c.status : c.status, String(c.version), c.active.joined(separator: ","), c.nextDue ?? "-", c.status == "running" ? (c.overdueSince ?? "-") : "-"])
            }
            out.stdout = table(rows)
            return out
        }
    }

    /// `wfc case history ID`: the audit log, oldest first.
    public func history(id: String) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let store = try service(.read)
            let events: [AuditEvent]
            do throws(ServiceError) { events = try await store.history(caseID: id, by: Self.operatorPrincipal).events } catch { throw CaseFailure(error) }
            var out = CaseOutput()
            if format == .json { out.stdout = json(["events": events]); return out }
            var rows = [zh ? ["序号", "时间", "操作人", "事件", "结果", "哈希"] : ["SEQ", "TIME", "ACTOR", "EVENT", "OUTCOME", "HASH"]]
            for e in events {
                let o = e.decodedOutcome
                var event = e.name
                if let r = e.role { event += zh ? "（\(r)）" : " as \(r)" }
                if let i = e.item { event += " [\(i)]" }
                if let k = e.idempotencyKey { event += " key=\(k)" }
                if e.kind == .migrate, let p = try? JSONDecoder().decode(MigratePayload.self, from: Data(e.payload.utf8)) {
                    event += " to \(p.to.prefix(19))…"
                }
                let outcome: String
                if let r = o?.refusal { outcome = (zh ? "被拒绝：" : "refused: ") + "\(r.kind)" }
                else if let o { outcome = "v\(o.version) → \(o.active.joined(separator: ","))" + (o.status == "running" ? "" : " (\(o.status))")
                                    + (o.note.map { "; " + StoredText.escaped($0) } ?? "") }
                else { outcome = "?" }
                rows.append([String(e.seq), e.time, (e.actor ?? "-") + (e.actingFor.map { zh ? "（代 \($0)）" : " (for \($0))" } ?? ""), event, outcome, String(e.hash.prefix(12))])
            }
            out.stdout = table(rows)
            return out
        }
    }

    /// `wfc case verify ID`: exit 1 when the chain or the replay fails.
    public func verify(id: String) async -> CaseOutput {
        await verify(id: id, all: false, checkpoint: nil, publicKey: nil)
    }

    /// `wfc case verify (ID | --all) [--checkpoint FILE --public-key FILE]`. With `--all`, every
    /// case is verified in this one process and reported as it is done (`[n/N] ID: ok …`),
    /// then a summary. With a checkpoint, its signature is checked first with the public key
    /// given; then every case it signed must still hold its signed head (WFC7017), a case
    /// missing from the store included. Exit 1 when anything fails.
    public func verify(id: String?, all: Bool, checkpoint: String?, publicKey: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            var signed: Checkpoint?
            if let checkpoint {
                guard let publicKey else { throw CaseFailure(.usage, "--checkpoint needs --public-key: the key that signed it") }
                do throws(StoreError) {
                    let key = try CheckpointKeys.loadPublic(publicKey)
                    guard FileManager.default.fileExists(atPath: checkpoint), let data = FileManager.default.contents(atPath: checkpoint) else {
                        throw StoreError.checkpointInvalid("cannot read the checkpoint \(checkpoint): no such file, or not readable")
                    }
                    let c = try Checkpoint.decode(data, file: checkpoint)
                    try c.checkSignature(key, file: checkpoint)
                    signed = c
                } catch { throw CaseFailure(error) }
            }
            let store = try service(.read)
            let heads = Dictionary((signed?.cases ?? []).map { ($0.caseID, $0) }, uniquingKeysWith: { a, _ in a })
            let ids: [String]
            if let id {
                ids = [id]
            } else {
                do throws(ServiceError) { ids = Array(Set(try await store.caseIDs(by: Self.operatorPrincipal)).union(heads.keys)).sorted() } catch { throw CaseFailure(error) }
            }
            var out = CaseOutput()
            var failed = 0
            for (n, caseID) in ids.enumerated() {
                let r: VerifyOutcome
                do throws(ServiceError) {
                    // A case the checkpoint signed that is gone is a failed report: that is what the checkpoint is for.
                    r = try await store.verifyCase(caseID, against: heads[caseID], by: Self.operatorPrincipal)
                } catch {
                    guard id == nil, case .store(let e) = error.cause else { throw CaseFailure(error) }
                    // One case that cannot be read does not stop the others.
                    failed += 1
                    var d = StoreDiagnostics.diagnostic(e, storePath: shownStorePath)
                    d.notes.insert("case `\(caseID)` could not be verified", at: 0)
                    report(CaseOutput(stdout: progressPrefix(n, ids.count, id) + "\(caseID): FAILED — not readable\n", stderr: diagnosticOutput.render([d], sources: SourceMap([]))), to: &out)
                    continue
                }
                if !r.report.ok { failed += 1 }
                report(verifyLine(r, prefix: progressPrefix(n, ids.count, id)), to: &out)
            }
            if id == nil {
                let summary = "verified \(ids.count) case\(ids.count == 1 ? "" : "s"): \(ids.count - failed) ok, \(failed) failed"
                    + (signed.map { "; checkpoint of \($0.createdAt) (\($0.cases.count) case\($0.cases.count == 1 ? "" : "s")) \(failed == 0 ? "holds" : "checked")" } ?? "") + "\n"
                if format == .human { out.stdout += summary }
            } else if let signed, format == .human, failed == 0 {
                out.stdout += "checkpoint of \(signed.createdAt): \(heads[id ?? ""] == nil ? "does not name this case" : "the signed head holds")\n"
            }
            if failed > 0 { out.status = .diagnostics }
            return out
        }
    }

    func progressPrefix(_ n: Int, _ count: Int, _ single: String?) -> String {
        single == nil && format == .human ? "[\(n + 1)/\(count)] " : ""
    }

    /// One case's verify result: a line (JSON with --format json) and its diagnostics.
    func verifyLine(_ outcome: VerifyOutcome, prefix: String) -> CaseOutput {
        var out = CaseOutput()
        let r = outcome.report
        if !r.ok {
            // The details are WFC7008–WFC7011 and WFC7017 diagnostics; a replay refusal shows its policy line.
            out.stderr = diagnosticOutput.render(outcome.diagnostics, sources: SourceMap(outcome.sources))
        }
        if format == .json { out.stdout = json(VerifyView(r)); return out }
        if r.ok {
            out.stdout = zh ? "\(prefix)\(r.caseID)：通过 — \(r.events) 个事件，哈希链完好，重放结果与存储的快照一致\n"
                : "\(prefix)\(r.caseID): ok — \(r.events) events, hash chain intact, replay matches the stored snapshot\n"
        } else {
            var found: [String] = []
            if let s = r.firstBadSeq { found.append(zh ? "哈希链在事件 \(s) 处断开" : "the hash chain breaks at event \(s)") }
            if let s = r.firstDivergentSeq { found.append(zh ? "重放在事件 \(s) 处出现分歧" : "replay diverges at event \(s)") }
            if r.findings.contains(where: { $0.kind == .checkpointMismatch }) {
                found.append(zh ? "签署的检查点不成立" : "the signed checkpoint does not hold")
            }
            let failed = zh ? "：失败" : ": FAILED"
            let details = found.isEmpty ? "" : " — " + found.joined(separator: zh ? "；" : "; ")
            out.stdout = "\(prefix)\(r.caseID)\(failed)\(details)\n"
        }
        return out
    }

    /// `wfc case checkpoint --new-key FILE`: a new Ed25519 key pair, FILE (mode 0600) and FILE.pub.
    public func newCheckpointKey(_ file: String) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let pub: String
            do throws(StoreError) { pub = try CheckpointKeys.create(file) } catch { throw CaseFailure(error) }
            var out = CaseOutput()
            out.stdout = "created \(file) (the private key, mode 0600: keep it outside the store's machine) and \(pub) (the public key, for verify)\n"
            return out
        }
    }

    /// `wfc case checkpoint --key FILE [-o OUT]`: signs the chain head of every case (its last
    /// event number and hash, its pinned definition) and writes the checkpoint to OUT or stdout.
    public func checkpoint(key file: String, output: String?, now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let at = try time(now, .current)
            let store = try service(.read)
            let c: Checkpoint
            // The key is read before the heads, so that an unusable key is reported first.
            let key = Result { () throws(StoreError) in try CheckpointKeys.loadPrivate(file) }
            if case .failure(let e) = key { throw CaseFailure(e) }
            let heads: [Checkpoint.Head]
            do throws(ServiceError) { heads = try await store.heads(by: Self.operatorPrincipal) } catch { throw CaseFailure(error) }
            do throws(StoreError) { c = try Checkpoint.sign(heads, key: try key.get(), at: at) } catch { throw CaseFailure(error) }
            var out = CaseOutput()
            guard let output else { out.stdout = c.encoded(); return out }
            do { try Data(c.encoded().utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw CaseFailure(.failure, "cannot write \(output): \(error.localizedDescription)")
            }
            out.stdout = "signed the heads of \(c.cases.count) case\(c.cases.count == 1 ? "" : "s") at \(c.createdAt) → \(output)\n"
            return out
        }
    }

    /// WFC0003 when no stored definition (of `workflow`, when given) has a state `state`, with
    /// the closest one; nil when one has, or when the store has no cases to tell by.
    func unknownState(_ state: String, workflow: String?, store: WorkflowService) async throws(CaseFailure) -> Diagnostic? {
        let all = try await allCases(CaseListQuery(workflow: workflow), store).sorted { $0.id < $1.id }
        var seen = Set<String>()
        var names: [String] = []
        // One case per pinned definition tells its states.
        for c in all where seen.insert(c.definitionHash).inserted {
            let stored: StoredCase
            do throws(ServiceError) { stored = try await store.storedCase(c.id, by: Self.operatorPrincipal) } catch { throw CaseFailure(error) }
            names += stored.definition.ir.states.map(\.name)
        }
        guard !all.isEmpty, !names.contains(state) else { return nil }
        let known = Array(Set(names)).sorted()
        let help = Suggestions.closest(to: state, among: known).map { "did you mean `\($0)`?" }
            ?? "the states are: \(known.joined(separator: ", "))"
        let message = workflow.map { "workflow `\($0)` has no state `\(state)`" } ?? "no workflow in the store has a state `\(state)`"
        return Diagnostic(UnknownStateFilter(message: message), at: .unlocated, help: help)
    }

    /// Every case `query` selects, page by page.
    func allCases(_ query: CaseListQuery, _ store: WorkflowService) async throws(CaseFailure) -> [CaseSummary] {
        var q = query
        q.limit = 500
        var cases: [CaseSummary] = []
        while true {
            let page: CasePage
            do throws(ServiceError) { page = try await store.list(q, by: Self.operatorPrincipal) } catch { throw CaseFailure(error) }
            cases += page.cases
            guard let next = page.nextCursor, !page.cases.isEmpty else { return cases }
            q.cursor = next
        }
    }

    /// `wfc case tick [--now T]`: fires what is due in every running case, reporting each case
    /// as soon as its tick is committed (through ``progress`` when set).
    public func tick(now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let base = try service(.readWrite)
            let at = try time(now, .current)
            var out = CaseOutput()
            if let now { var note = CaseOutput(); note.stderr = timeNote(now, at, .current, zone: "this machine's time zone"); report(note, to: &out) }
            let results: [TickResult]
            do throws(ServiceError) {
                results = try await base.at(at).tick(by: Self.operatorPrincipal) { r in
                    // A line per case as soon as it is committed (JSON Lines with --format json).
                    report(format == .json ? CaseOutput(stdout: json(r)) : tickLines(r), to: &out)
                }
            } catch { throw CaseFailure(error) }
            if results.contains(where: { $0.error != nil }) { out.status = .failure }
            if format == .json { return out }
            if results.isEmpty { out.stdout += zh ? "\(Timestamp(at)) 没有到期的事项\n" : "nothing due at \(Timestamp(at))\n" }
            return out
        }
    }

    /// What `tick` prints for one case.
    func tickLines(_ r: TickResult) -> CaseOutput {
        var out = CaseOutput()
        if let e = r.storeError {
            var d = StoreDiagnostics.diagnostic(e, storePath: shownStorePath)
            d.notes.insert("case `\(r.id)` was not ticked; the other cases were", at: 0)
            out.stderr = diagnosticOutput.render([d], sources: SourceMap([]))
        } else if let e = r.error {
            out.stderr = "wfc: \(r.id): \(e)\n"
        } else if let seq = r.seq, let version = r.version {
            out.stdout = zh ? "\(r.id)：推进计时（事件 \(seq)，版本 \(version)）\n" : "\(r.id): tick (event \(seq), version \(version))\n"
            for e in r.effects { out.stdout += "  " + StoredText.escaped(e) + "\n" }
        } else {
            out.stdout = zh ? "\(r.id)：没有触发任何事件\n" : "\(r.id): nothing fired\n"
        }
        return out
    }
}

struct VerifyView: Encodable {
    var id: String
    var ok: Bool
    var events: Int
    var firstBadSeq: Int?
    var firstDivergentSeq: Int?
    var problems: [String]
    init(_ r: VerifyReport) {
        id = r.caseID
        ok = r.ok
        events = r.events
        firstBadSeq = r.firstBadSeq
        firstDivergentSeq = r.firstDivergentSeq
        problems = r.problems
    }
}

struct UnknownStateFilter: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0003", name: "unknown-state-filter", summary: "`wfc case list --state` names a state no stored workflow has.",
        explanation: """
            `--state S` lists the cases with state S active. A name that no workflow in the store \
            (or the one `--workflow` names) declares is a typo, not a filter that matches nothing: \
            wfc says so and suggests the closest state. Exit status 2.
            """,
        example: "$ wfc case list --state manager_reveiw\n", fix: "$ wfc case list --state manager_review\n")
    var message: String
}
