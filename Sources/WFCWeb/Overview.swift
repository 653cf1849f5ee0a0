import Foundation
import Hummingbird
import WFCIR
import WFCLedger
import WFCRuntime
import WFCService

/// The HR overview (`admin` scope): cases by policy and state, overdue steps, violations by
/// clause and month, the median working days each state takes, and a CSV of the cases.
extension WebInbox {
    /// Cases read for the overview; beyond this the page says it counted only these.
    static let overviewCaseLimit = 2_000
    /// Case histories read for the median durations (the newest cases).
    static let durationCaseLimit = 300

    /// Every case (newest first, up to ``overviewCaseLimit``), for an administrator.
    func allCases(_ who: Principal) async throws -> (cases: [CaseSummary], complete: Bool) {
        guard who.isAdmin else {
            throw ServiceError(.forbidden, MissingScope(message: "the HR overview needs the `\(Principal.adminScope)` scope"),
                               help: "sign in with a token issued with --scope admin")
        }
        var out: [CaseSummary] = []
        var cursor: String?
        repeat {
            let page = try await service.list(CaseListQuery(limit: 500, cursor: cursor), by: who)
            out += page.cases
            cursor = page.nextCursor
        } while cursor != nil && out.count < Self.overviewCaseLimit
        return (Array(out.prefix(Self.overviewCaseLimit)), cursor == nil)
    }

    func overviewPage(_ v: Visit, _ who: Principal) async throws -> Response {
        let lang = v.language
        let (cases, complete) = try await allCases(who)
        var defs: [String: Definition] = [:]
        func def(_ hash: String) async throws -> Definition {
            if let d = defs[hash] { return d }
            let d = try await service.definition(hash: hash, by: who)
            defs[hash] = d
            return d
        }
        // Cases by policy and state.
        var byPolicy: [String: (title: String, running: Int, finished: [String: Int], states: [String: Int])] = [:]
        var overdue: [[String: Any]] = []
        for c in cases {
            let d = try await def(c.definitionHash)
            var entry = byPolicy[c.workflow] ?? (d.ir.title, 0, [:], [:])
            if c.status == CaseStatus.running.rawValue {
                entry.running += 1
                for s in c.active { entry.states[stateTitle(d.ir, s), default: 0] += 1 }
            } else {
                entry.finished[lang.text["status_\(c.status)"] ?? c.status, default: 0] += 1
            }
            byPolicy[c.workflow] = entry
            if let since = c.overdueSince, c.status == CaseStatus.running.rawValue {
                let tz = d.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
                overdue.append(["id": c.id, "caseURL": WebInbox.caseURL(c.id), "policy": d.ir.title, "since": Timestamp(rfc3339: since)?.local(tz) ?? since,
                                "sinceKey": since, "states": c.active.map { stateTitle(d.ir, $0) }.joined(separator: "、")])
            }
        }
        overdue.sort { ($0["sinceKey"] as? String ?? "") < ($1["sinceKey"] as? String ?? "") }
        let policies: [[String: Any]] = byPolicy.sorted { $0.key < $1.key }.map { id, e in
            ["id": id, "title": e.title, "running": e.running,
             "states": e.states.sorted { $0.key < $1.key }.map { ["state": $0.key, "count": $0.value] },
             "finished": e.finished.sorted { $0.key < $1.key }.map { ["status": $0.key, "count": $0.value] }]
        }
        // Violations by clause and month, and the working days each state took.
        var violations: [String: [String: Int]] = [:]
        var months = Set<String>()
        var durations: [String: (policy: String, state: String, days: [Int])] = [:]
        for (i, c) in cases.enumerated() {
            let d = try await def(c.definitionHash)
            let view = try await service.show(caseID: c.id, by: who)
            for line in view.violations {
                let time = String(line.prefix { $0 != " " })
                let stateName = String(line.dropFirst(time.count + 1).prefix { $0 != ":" })
                let state = d.ir.states.first { $0.name == stateName }
                let clause = state?.due?.overdueClause ?? state?.clause ?? "—"
                let month = String(time.prefix(7))
                months.insert(month)
                violations["\(d.ir.title) · \(clause)", default: [:]][month, default: 0] += 1
            }
            if i < Self.durationCaseLimit {
                for (state, days) in try await stateDurations(c.id, d, who) {
                    let key = "\(c.workflow)|\(state)"
                    var e = durations[key] ?? (d.ir.title, stateTitle(d.ir, state), [])
                    e.days.append(days)
                    durations[key] = e
                }
            }
        }
        let monthList = months.sorted()
        let violationRows: [[String: Any]] = violations.sorted { $0.key < $1.key }.map { clause, counts in
            ["clause": clause, "counts": monthList.map { ["n": counts[$0] ?? 0] }, "total": counts.values.reduce(0, +)]
        }
        let durationRows: [[String: Any]] = durations.sorted { ($0.value.policy, $0.value.state) < ($1.value.policy, $1.value.state) }.map { _, e in
            ["policy": e.policy, "state": e.state, "median": Self.median(e.days), "count": e.days.count]
        }
        return page("overview", title: lang.text["overview"] ?? "", v, [
            "policies": policies, "overdue": overdue, "noOverdue": overdue.isEmpty, "months": monthList.map { ["month": $0] },
            "violations": violationRows, "noViolations": violationRows.isEmpty, "durations": durationRows,
            "caseCount": cases.count, "partial": !complete, "durationLimit": Self.durationCaseLimit,
        ])
    }

    /// The median of `values` (the lower middle of an even count), in whole working days.
    static func median(_ values: [Int]) -> Int {
        let s = values.sorted()
        return s.isEmpty ? 0 : s[(s.count - 1) / 2]
    }

    /// The working days each state of a case was active, for the states it has left, from
    /// its audit log (the active states after each accepted event).
    func stateDurations(_ id: String, _ def: Definition, _ who: Principal) async throws -> [(String, Int)] {
        var entered: [String: Timestamp] = [:]
        var out: [(String, Int)] = []
        for e in try await service.history(caseID: id, by: who).events {
            guard let outcome = e.decodedOutcome, outcome.accepted, let t = Timestamp(rfc3339: e.time) else { continue }
            let now = Set(outcome.active)
            for (state, since) in entered where !now.contains(state) {
                out.append((state, workingDays(def, from: since, to: t)))
                entered[state] = nil
            }
            for s in now where entered[s] == nil { entered[s] = t }
        }
        return out
    }

    /// Working days from one time to another by the policy's calendar (calendar days
    /// without one).
    func workingDays(_ def: Definition, from a: Timestamp, to b: Timestamp) -> Int {
        if let cal = def.calendar, let x = try? cal.localDate(a.date), let y = try? cal.localDate(b.date),
           let n = try? cal.workingDays(from: x, to: y) {
            return max(n, 0)
        }
        return max(Int((b.date.timeIntervalSince(a.date) / 86_400).rounded(.down)), 0)
    }

    /// `GET /web/hr/cases.csv`: one line per case. Cells that a spreadsheet would run as a
    /// formula are prefixed with `'`.
    func casesCSV(_ who: Principal) async throws -> Response {
        let (cases, _) = try await allCases(who)
        func cell(_ s: String) -> String {
            var t = s
            if let f = t.first, "=+-@\t\r".contains(f) { t = "'" + t }
            return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = ["id,workflow,version,status,active,next_due,overdue_since,created_at,updated_at"]
        for c in cases {
            lines.append([c.id, c.workflow, String(c.version), c.status, c.active.joined(separator: " "), c.nextDue ?? "", c.overdueSince ?? "",
                          c.createdAt, c.updatedAt].map(cell).joined(separator: ","))
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"wfc-cases.csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n")))
    }
}
