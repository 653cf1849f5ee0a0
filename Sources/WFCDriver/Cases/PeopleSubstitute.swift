import Foundation
import WFCDiagnostics
import WFCRuntime
import WFCScenarios
import WFCService
import WFCStore

/// `wfc people substitute add|list|revoke` (docs/cli.md): substitutes (代理) kept in the store.
/// The operator holds the store file, so it may manage anyone's; `--as` records who did it.
extension CaseCommands {
    /// Names `substitute` as `person`'s substitute from `from` until `until`.
    public func substituteAdd(person: String, substitute: String, from: String, until: String, reason: String?, by: String?, now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let at = try time(now, SubstitutionRange.defaultTimeZone)
            let base = try service(.readWrite).at(at)
            let s: Substitution
            do throws(ServiceError) {
                s = try await base.addSubstitute(person: person, SubstituteRequest(substitute: substitute, from: from, until: until, reason: reason),
                                                 by: Principal.storeOperator(actingAs: by ?? person))
            } catch { throw Self.serviceFailure(error) }
            var out = CaseOutput()
            if format == .json { out.stdout = json(s); return out }
            let range = "\(shown(s.from)) – \(shown(s.until))"
            out.stdout = zh ? "\(s.id)：\(s.substitute) 代理 \(s.person)，\(range)\n" : "\(s.id): \(s.substitute) substitutes for \(s.person), \(range)\n"
            return out
        }
    }

    /// `person`'s substitutions (or, with `asSubstitute`, those naming them), unrevoked unless `all`.
    public func substituteList(person: String, asSubstitute: Bool, all: Bool, now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let at = try time(now, SubstitutionRange.defaultTimeZone)
            let base = try service(.read)
            let list: [Substitution]
            do throws(ServiceError) {
                list = try await base.substitutes(person: person, asSubstitute: asSubstitute, includeRevoked: all, by: Self.operatorPrincipal)
            } catch { throw Self.serviceFailure(error) }
            var out = CaseOutput()
            if format == .json { out.stdout = json(list); return out }
            if list.isEmpty {
                out.stdout = zh ? "\(person) 没有代理\n" : "no substitutes \(asSubstitute ? "naming" : "of") \(person)\n"
                return out
            }
            let t = Timestamp(at).description
            var rows = [["ID", "PERSON", "SUBSTITUTE", "FROM", "UNTIL", "STATUS", "REASON"]]
            for s in list {
                rows.append([s.id, s.person, s.substitute, shown(s.from), shown(s.until), Self.status(s, at: t), s.reason ?? "-"])
            }
            out.stdout = table(rows)
            return out
        }
    }

    /// Ends `person`'s substitution `id` now.
    public func substituteRevoke(person: String, id: String, by: String?, now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let at = try time(now, SubstitutionRange.defaultTimeZone)
            let base = try service(.readWrite).at(at)
            let s: Substitution
            do throws(ServiceError) {
                s = try await base.revokeSubstitute(person: person, id: id, by: Principal.storeOperator(actingAs: by ?? person))
            } catch { throw Self.serviceFailure(error) }
            var out = CaseOutput()
            if format == .json { out.stdout = json(s); return out }
            let when = s.revokedAt.map(shown) ?? "-"
            out.stdout = zh ? "\(s.id)：已撤销（\(when)）\n" : "\(s.id): revoked at \(when)\n"
            return out
        }
    }

    /// `active`, `upcoming`, `ended` or `revoked` at `time`.
    static func status(_ s: Substitution, at time: String) -> String {
        if let r = s.revokedAt, r <= time { return "revoked" }
        if time < s.from { return "upcoming" }
        return time < s.until ? "active" : "ended"
    }

    /// A stored UTC time as people read it: China Standard Time, the zone of the ranges' dates.
    func shown(_ utc: String) -> String {
        guard let t = Timestamp(rfc3339: utc) else { return utc }
        return ClockText.format(Date(timeIntervalSince1970: TimeInterval(t.seconds)), timeZone: SubstitutionRange.defaultTimeZone)
    }

    /// A service failure of the CLI: a store failure as its diagnostic; the service's own
    /// refusals (WFC9012–WFC9014) as their code and message, exit 1 (2 for a bad argument).
    static func serviceFailure(_ e: ServiceError) -> CaseFailure {
        if case .store(let s) = e.cause { return CaseFailure(s) }
        let help = e.diagnostics.first?.help.map { "\n  help: \($0)" } ?? ""
        return CaseFailure(e.kind == .badRequest ? .usage : .diagnostics, "error[\(e.code)]: \(e.message)\(help)")
    }
}
