import Foundation
import WFCIR
import WFCLedger
import WFCRuntime

/// Substitutes (代理): kept outside any case, checked by every backend.
extension RepositoryConformance {
    static func utc(_ d: Date) -> String { Timestamp(d).description }

    /// Add, list (by person, by substitute, at a time: `from` included, `until` excluded),
    /// revoke (seen by another connection; twice changes nothing; unknown ids refused), the
    /// overlap rule (refused, nothing written; adjacent ranges and ranges after a revocation
    /// are fine) and the ledger's validation.
    public static func substitutesAddListRevoke(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository), other = Ledger(s.second)
        let day: TimeInterval = 86_400
        let a = try await ledger.addSubstitute(person: "carol", substitute: "erin", from: t0, until: t0 + 5 * day, reason: "年假", by: "carol", now: t0)
        try check(a.id.hasPrefix("sub-") && a.from == utc(t0) && a.until == utc(t0 + 5 * day) && a.reason == "年假" && a.createdBy == "carol", "kept as given: \(a)")
        try check(try await other.substitutions(SubstitutionQuery(person: "carol")) == [a], "another connection reads it")
        try check(try await other.substitutions(SubstitutionQuery(substitute: "erin")) == [a], "by substitute")
        try check(try await ledger.substitutions(SubstitutionQuery(substitute: "carol")).isEmpty, "carol substitutes for nobody")
        try check(try await ledger.principals(of: "erin", now: t0) == ["carol"], "from is included")
        try check(try await ledger.principals(of: "erin", now: t0 + 5 * day - 1) == ["carol"], "the last second is included")
        try check(try await ledger.principals(of: "erin", now: t0 + 5 * day).isEmpty, "until is excluded")
        try check(try await ledger.principals(of: "erin", now: t0 - 1).isEmpty, "not before from")
        // One substitute at a time.
        try await expectError(.substitutionOverlaps, "an overlapping range") {
            _ = try await other.addSubstitute(person: "carol", substitute: "frank", from: t0 + 4 * day, until: t0 + 9 * day, reason: nil, by: "carol", now: t0)
        }
        try check(try await ledger.substitutions(SubstitutionQuery(person: "carol")).count == 1, "the refused one was not written")
        let b = try await other.addSubstitute(person: "carol", substitute: "frank", from: t0 + 5 * day, until: t0 + 9 * day, reason: nil, by: "hr-admin", now: t0)
        try check(try await ledger.substitutions(SubstitutionQuery(person: "carol")).map(\.id) == [a.id, b.id], "adjacent ranges, by start: \(b)")
        // Another person's substitutions are independent.
        _ = try await ledger.addSubstitute(person: "dave", substitute: "erin", from: t0, until: t0 + day, reason: nil, by: "dave", now: t0)
        try check(try await ledger.principals(of: "erin", now: t0) == ["carol", "dave"], "erin stands in for two people")
        // Revoking.
        let r = try await ledger.revokeSubstitute(id: a.id, by: "carol", now: t0 + day)
        try check(r.revokedAt == utc(t0 + day) && r.revokedBy == "carol", "revoked: \(r)")
        try check(try await other.principals(of: "erin", now: t0 + day) == [], "no longer applies from the revocation on")
        try check(try await other.isSubstitute("erin", for: "carol", now: t0 + day - 1), "it applied until then")
        let again = try await other.revokeSubstitute(id: a.id, by: "someone-else", now: t0 + 2 * day)
        try check(again == r, "revoking twice changes nothing: \(again)")
        try check(try await ledger.substitutions(SubstitutionQuery(person: "carol")).map(\.id) == [b.id], "revoked ones are left out")
        try check(try await ledger.substitutions(SubstitutionQuery(person: "carol", includeRevoked: true)).map(\.id) == [a.id, b.id], "unless asked for")
        _ = try await ledger.addSubstitute(person: "carol", substitute: "grace", from: t0 + 2 * day, until: t0 + 4 * day, reason: nil, by: "carol", now: t0 + day)
        try await expectError(.unknownSubstitution, "an unknown id") { _ = try await ledger.revokeSubstitute(id: "sub-000000000000", by: "carol", now: t0) }
        // Validation, before the store is asked.
        try await expectError(.invalidSubstitution, "oneself") {
            _ = try await ledger.addSubstitute(person: "zed", substitute: "zed", from: t0, until: t0 + day, reason: nil, by: "zed", now: t0)
        }
        try await expectError(.invalidSubstitution, "an empty range") {
            _ = try await ledger.addSubstitute(person: "zed", substitute: "yan", from: t0, until: t0, reason: nil, by: "zed", now: t0)
        }
        try await expectError(.invalidSubstitution, "a range that ended") {
            _ = try await ledger.addSubstitute(person: "zed", substitute: "yan", from: t0, until: t0 + day, reason: nil, by: "zed", now: t0 + 2 * day)
        }
        try await expectError(.invalidSubstitution, "unsafe text") {
            _ = try await ledger.addSubstitute(person: "zed\n", substitute: "yan", from: t0, until: t0 + day, reason: nil, by: "zed", now: t0)
        }
        try check(try await ledger.substitutions(SubstitutionQuery(person: "zed", includeRevoked: true)).isEmpty, "nothing of the refused ones was kept")
    }

    /// Two connections adding overlapping substitutions of one person at once: exactly one is kept.
    public static func substitutesRacingAddsOneWins(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let repos = [s.repository, s.second]
        for round in 0..<4 {
            let person = "p\(round)"
            let results = await withTaskGroup(of: Bool.self) { group in
                for (i, r) in repos.enumerated() {
                    group.addTask {
                        do {
                            _ = try await Ledger(r).addSubstitute(person: person, substitute: "s\(i)", from: t0, until: t0 + 86_400, reason: nil, by: person, now: t0)
                            return true
                        } catch { return false }
                    }
                }
                var out: [Bool] = []
                for await r in group { out.append(r) }
                return out
            }
            try check(results.filter { $0 }.count == 1, "round \(round): exactly one add wins: \(results)")
            try check(try await Ledger(s.repository).substitutions(SubstitutionQuery(person: person)).count == 1, "round \(round): one kept")
        }
    }

    /// A substitute sees the person's tasks (marked), acts for them, the log keeps who acted
    /// for whom (hashed: another connection reads it, verify replays it), and the task index
    /// holds no rows of substitutes (they are read at the time asked).
    public static func substituteActsForThePerson(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        try await startInReview(ledger, s.definition, "A")
        try check(try await ledger.tasks(for: "erin", now: t0).isEmpty, "erin has no task of her own")
        _ = try await ledger.addSubstitute(person: "carol", substitute: "erin", from: t0, until: t0 + 86_400, reason: nil, by: "carol", now: t0)
        let erin = try await Ledger(s.second).tasks(for: "erin", now: t0)
        try check(erin.count == 1 && erin[0].caseID == "A" && erin[0].role == "manager" && erin[0].actingFor == "carol" && erin[0].state == "review",
                  "carol's review is open to erin, for carol: \(erin)")
        try check(try await ledger.tasks(for: "carol", now: t0).allSatisfy { $0.actingFor == nil }, "carol's own tasks are not marked")
        try check(try await ledger.tasks(for: "erin", now: t0 + 86_400).isEmpty, "gone when the substitution ends")
        let step = try accepted(await ledger.fire("A", Event("approve", actor: "erin", actingFor: "carol"), now: t0))
        try check(step.trace.contains { $0.detail == "approve by erin for carol" }, "the trace says for whom: \(step.trace.map(\.detail))")
        let log = try await Ledger(s.second).history("A")
        try check(log.last?.actor == "erin" && log.last?.actingFor == "carol" && log.last?.kind == .event, "the log records who acted for whom: \(String(describing: log.last))")
        try check(log.dropLast().allSatisfy { $0.actingFor == nil }, "other events act for nobody")
        try check(HashChain.hash(log[log.count - 1]) == log[log.count - 1].hash, "acting_for is hashed as stored")
        try check(try await Ledger(s.second).verify("A").ok, "verify replays the substitute's event")
        // Hashed: the same event without `actingFor` has another hash.
        var stripped = log[log.count - 1]
        stripped.actingFor = nil
        try check(HashChain.hash(stripped) != stripped.hash, "acting_for is covered by the hash")
    }
}
