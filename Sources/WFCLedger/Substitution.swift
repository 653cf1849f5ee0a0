import Foundation
import WFCRuntime

/// A substitute (代理): while it lasts, `substitute` may act for `person` in the cases'
/// roles bound to `person` — except roles the policy declares `substitutes: false`. Kept in
/// the store outside any case (``CaseRepository/addSubstitution(_:)``); the service checks it
/// when an event says whom it is sent for (``Event/actingFor``).
public struct Substitution: Codable, Equatable, Sendable {
    /// `sub-` and 12 hex digits, derived from the rest (stable for a given request and time).
    public var id: String
    /// Who is away.
    public var person: String
    /// Who stands in for them.
    public var substitute: String
    /// The first moment it applies, RFC 3339 UTC (inclusive).
    public var from: String
    /// The moment it ends, RFC 3339 UTC (exclusive).
    public var until: String
    public var reason: String?
    /// Who named the substitute (the person, or an administrator).
    public var createdBy: String
    public var createdAt: String
    /// Set once revoked: it no longer applies from `revokedAt` on.
    public var revokedBy: String?
    public var revokedAt: String?

    public init(id: String, person: String, substitute: String, from: String, until: String, reason: String?, createdBy: String, createdAt: String,
                revokedBy: String? = nil, revokedAt: String? = nil) {
        self.id = id
        self.person = person
        self.substitute = substitute
        self.from = from
        self.until = until
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.revokedBy = revokedBy
        self.revokedAt = revokedAt
    }

    /// Whether it applies at `time` (RFC 3339 UTC): within `[from, until)` and not revoked by then.
    public func applies(at time: String) -> Bool {
        from <= time && time < until && (revokedAt.map { time < $0 } ?? true)
    }

    /// The message of ``StoreError/substitutionOverlaps(person:existing:message:)`` for a new
    /// substitution `s` meeting the kept one `id`, the same for every backend.
    public static func overlapMessage(_ s: Substitution, existing id: String, from: String, until: String) -> String {
        "\(s.person) already has substitution \(id) from \(from) until \(until), which overlaps \(s.from) – \(s.until)"
    }

    /// Whether its range meets `[from, until)` (revocations aside).
    public func overlaps(from: String, until: String) -> Bool {
        self.from < until && from < self.until
    }
}

/// What ``CaseRepository/substitutions(_:)`` selects; every condition given must hold.
public struct SubstitutionQuery: Sendable, Equatable {
    /// Substitutions for this person (who is away).
    public var person: String?
    /// Substitutions naming this substitute.
    public var substitute: String?
    /// Only those that apply at this time (RFC 3339 UTC): in range and not revoked by then.
    public var activeAt: String?
    /// Revoked ones too (ignored with `activeAt`).
    public var includeRevoked: Bool

    public init(person: String? = nil, substitute: String? = nil, activeAt: String? = nil, includeRevoked: Bool = false) {
        self.person = person
        self.substitute = substitute
        self.activeAt = activeAt
        self.includeRevoked = includeRevoked
    }

    /// Whether `s` is selected: the one definition of the query, which backends apply in SQL.
    public func matches(_ s: Substitution) -> Bool {
        if let p = person, s.person != p { return false }
        if let p = substitute, s.substitute != p { return false }
        if let t = activeAt { return s.applies(at: t) }
        return includeRevoked || s.revokedAt == nil
    }
}

/// The range of a substitution as written on the command line or in a request: a date
/// (`2025-10-01`, a whole day in `timeZone`; `until` inclusive) or an RFC 3339 time
/// (`2025-10-01T09:00:00+08:00`; `until` exclusive).
public enum SubstitutionRange {
    /// China Standard Time, the zone of the built-in calendars.
    public static let defaultTimeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

    /// The instants `[from, until)` the texts mean; nil when a text is neither form.
    public static func parse(from: String, until: String, timeZone: TimeZone = defaultTimeZone) -> (from: Date, until: Date)? {
        guard let f = instant(from, endOfDay: false, timeZone), let u = instant(until, endOfDay: true, timeZone) else { return nil }
        return (f, u)
    }

    /// A date's start (or, for `endOfDay`, the next day's start), or an RFC 3339 time.
    static func instant(_ text: String, endOfDay: Bool, _ timeZone: TimeZone) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = timeZone
            let c = DateComponents(year: y, month: m, day: d)
            // Strict: `2025-02-30` is no date (Calendar would roll it over).
            guard c.isValidDate(in: cal), let start = cal.date(from: c) else { return nil }
            return endOfDay ? cal.date(byAdding: .day, value: 1, to: start) : start
        }
        // An RFC 3339 time with its offset (`Z` or `+08:00`).
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return text.contains("T") ? f.date(from: text) : nil
    }

    /// The forms accepted, for messages.
    public static let forms = "a date such as 2025-10-01 (whole days, China Standard Time; the end date included) or an RFC 3339 time such as 2025-10-01T09:00:00+08:00 (the end excluded)"
}

extension Ledger {
    /// Names `substitute` as `person`'s substitute for `[from, until)`, recorded as done by
    /// `by` at `now`. Refused (``StoreError/invalidSubstitution(_:)``) for unsafe person ids
    /// or reason, a person as their own substitute, an empty range or one that ended already;
    /// ``StoreError/substitutionOverlaps(person:existing:message:)`` when the person already
    /// has an unrevoked substitution meeting the range (one substitute at a time: a case's
    /// task never has two stand-ins competing for it).
    public func addSubstitute(person: String, substitute: String, from: Date, until: Date, reason: String?, by: String, now: Date) async throws(StoreError) -> Substitution {
        func check(_ text: String, _ what: String) throws(StoreError) {
            if let p = StoredText.problem(text, what: what) { throw .invalidSubstitution(p) }
        }
        try check(person, "the person id")
        try check(substitute, "the substitute's person id")
        try check(by, "the person naming the substitute")
        if let reason { try check(reason, "the reason") }
        guard person != substitute else { throw .invalidSubstitution("\(person) cannot be their own substitute") }
        let f = Timestamp(from), u = Timestamp(until), t = Timestamp(now)
        guard f < u else { throw .invalidSubstitution("the substitution must end after it begins (from \(f), until \(u))") }
        guard t < u else { throw .invalidSubstitution("the substitution ended already (until \(u), now \(t))") }
        let key = [person, substitute, f.description, u.description, t.description].joined(separator: "\n")
        let id = "sub-" + HashChain.sha256(Data(key.utf8)).prefix(12)
        let s = Substitution(id: id, person: person, substitute: substitute, from: f.description, until: u.description, reason: reason,
                             createdBy: by, createdAt: t.description)
        try await repository.addSubstitution(s)
        return s
    }

    /// Substitutions matching `query`, by person, then start, then id.
    public func substitutions(_ query: SubstitutionQuery) async throws(StoreError) -> [Substitution] {
        try await repository.substitutions(query)
    }

    /// Ends a substitution at `now` (it applies no more from then on). Revoking one already
    /// revoked returns it unchanged.
    public func revokeSubstitute(id: String, by: String, now: Date) async throws(StoreError) -> Substitution {
        try StoredText.check(id, what: "the substitution id")
        return try await repository.revokeSubstitution(id: id, by: by, at: Timestamp(now).description)
    }

    /// The people `substitute` stands in for at `now`, sorted.
    public func principals(of substitute: String, now: Date) async throws(StoreError) -> [String] {
        let q = SubstitutionQuery(substitute: substitute, activeAt: Timestamp(now).description)
        let found = try await repository.substitutions(q)
        return Array(Set(found.map(\.person))).sorted()
    }

    /// Whether `substitute` may act for `person` at `now` by a substitution record.
    public func isSubstitute(_ substitute: String, for person: String, now: Date) async throws(StoreError) -> Bool {
        let q = SubstitutionQuery(person: person, substitute: substitute, activeAt: Timestamp(now).description)
        let found = try await repository.substitutions(q)
        return !found.isEmpty
    }
}

extension Ledger {
    /// The tasks open to `person` as a substitute at `now`: each task of a person they stand
    /// in for, marked ``PersonTask/actingFor``, unless its role is `substitutes: false` in the
    /// case's pinned definition.
    func substituteTasks(for person: String, now: Date) async throws(StoreError) -> [PersonTask] {
        var out: [PersonTask] = []
        for principal in try await principals(of: person, now: now) {
            for var task in try await repository.tasks(person: principal) {
                let c = try await loadKnown(task.caseID).stored
                guard Substitutes.mayActFor(c.definition, people: c.snapshot.people, role: task.role, substitute: person) else { continue }
                task.actingFor = principal
                out.append(task)
            }
        }
        return out
    }
}

extension PersonTask {
    /// Soonest `due` first, no due last, then case, state, item, role, and the person's own
    /// tasks before those as a substitute. Rows of one repository read are in this order already.
    static func soonestFirst(_ tasks: [PersonTask], hasSubstitutes: Bool) -> [PersonTask] {
        guard hasSubstitutes else { return tasks }
        return tasks.sorted { a, b in
            if (a.due == nil) != (b.due == nil) { return a.due != nil }
            if let x = a.due, let y = b.due, x != y { return x < y }
            if a.caseID != b.caseID { return a.caseID < b.caseID }
            if a.state != b.state { return a.state < b.state }
            if a.item != b.item { return (a.item ?? -1) < (b.item ?? -1) }
            if a.role != b.role { return a.role < b.role }
            return (a.actingFor ?? "") < (b.actingFor ?? "")
        }
    }
}
