import Foundation
import WFCIR
import WFCRuntime
import WFCStore

// Every call the service makes to the case store is in this file, under the names and shapes
// of the async `Ledger` that replaces `SQLiteCaseStore` as the service's store: switching to
// it replaces this file (and the four value types below, which the Ledger defines).

/// A definition as deployed: pinned by content hash, numbered 1, 2, 3… per workflow.
public struct DeployedDefinition: Codable, Equatable, Sendable {
    public var hash: String
    public var workflow: String
    public var version: Int
    /// RFC 3339 UTC: when it was first stored.
    public var createdAt: String
}

/// An open task of one person: a state of a case in which they may send an event.
public struct PersonTask: Codable, Equatable, Sendable {
    public var caseID: String
    public var workflow: String
    public var state: String
    public var title: String?
    /// The foreach item, for a task of one item.
    public var item: Int?
    /// The role the person holds in the case that lets them act here.
    public var role: String
    /// The events the person may send.
    public var events: [String]
    /// The state's earliest unhandled deadline, RFC 3339 UTC.
    public var due: String?
}

/// Which cases ``StoreAccess/list(_:now:)`` returns: the filters of today's `CaseFilter`
/// plus status, the person who must hold a role, and paging.
public struct CaseQuery: Codable, Equatable, Sendable {
    public var workflow: String?
    public var state: String?
    public var overdue: Bool
    /// `running`, `completed`, … (the case status).
    public var status: String?
    /// Only cases in which this person holds a role.
    public var participant: String?
    public var limit: Int
    /// ``CasePage/nextCursor`` of the previous page.
    public var cursor: String?

    public init(workflow: String? = nil, state: String? = nil, overdue: Bool = false, status: String? = nil, participant: String? = nil,
                limit: Int = 50, cursor: String? = nil) {
        self.workflow = workflow
        self.state = state
        self.overdue = overdue
        self.status = status
        self.participant = participant
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of cases, newest first.
public struct CasePage: Codable, Equatable, Sendable {
    public var cases: [CaseSummary]
    /// Gives the next page; nil on the last.
    public var nextCursor: String?
}

/// The case store as the service uses it. Today: the synchronous ``SQLiteCaseStore``.
public final class StoreAccess: Sendable {
    /// The store file.
    public let location: String
    let store: SQLiteCaseStore

    /// Opens (creating when needed) the SQLite store at `path`.
    public init(path: String, busyTimeout: TimeInterval = 10) throws(StoreError) {
        store = try SQLiteCaseStore(path: path, busyTimeout: busyTimeout)
        location = store.path
    }

    // MARK: - Cases

    func start(_ definition: Definition, caseID: String, data: [String: ValueIR], people: [String: String], actor: String?, now: Date) async throws(StoreError) -> StartOutcome {
        try store.start(definition, caseID: caseID, data: data, people: people, actor: actor, now: now)
    }

    func fire(_ caseID: String, _ event: Event, now: Date) async throws(StoreError) -> FireOutcome {
        try store.fire(caseID, event, now: now)
    }

    func tick(now: Date) async throws(StoreError) -> [TickOutcome] {
        try store.tick(now: now)
    }

    func load(_ caseID: String) async throws(StoreError) -> StoredCase {
        try store.load(caseID)
    }

    func history(_ caseID: String) async throws(StoreError) -> [AuditEvent] {
        try store.history(caseID)
    }

    func verify(_ caseID: String) async throws(StoreError) -> VerifyReport {
        try store.verify(caseID)
    }

    /// Newest first (creation time, then id), filtered, one page. A scan of the matching
    /// cases (and a load of each when `participant` is set): the Ledger pages in SQL.
    func list(_ query: CaseQuery, now: Date) async throws(StoreError) -> CasePage {
        var all = try store.list(CaseFilter(workflow: query.workflow, state: query.state, overdue: query.overdue), now: now)
        if let status = query.status { all = all.filter { $0.status == status } }
        all.sort { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        if let cursor = query.cursor {
            let after = try Self.decodeCursor(cursor)
            all = all.filter { ($0.createdAt, $0.id) < (after.createdAt, after.id) }
        }
        var page: [CaseSummary] = []
        var more = false
        for c in all {
            if let person = query.participant, !(try store.load(c.id).snapshot.people.values.contains(person)) { continue }
            if page.count == query.limit { more = true; break }
            page.append(c)
        }
        return CasePage(cases: page, nextCursor: more ? page.last.map { Self.encodeCursor($0.createdAt, $0.id) } : nil)
    }

    static func encodeCursor(_ createdAt: String, _ id: String) -> String {
        // base64url: safe in a query string without escaping.
        Data("\(createdAt)\n\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ text: String) throws(StoreError) -> (createdAt: String, id: String) {
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        b64 += String(repeating: "=", count: (4 - b64.count % 4) % 4)
        guard let data = Data(base64Encoded: b64), let s = String(data: data, encoding: .utf8),
              let cut = s.firstIndex(of: "\n") else {
            throw .invalidArgument("`\(StoredText.escaped(text))` is not a cursor this server gave: pass `nextCursor` of the previous page")
        }
        return (String(s[..<cut]), String(s[s.index(after: cut)...]))
    }

    /// The open tasks of `person` in every running case, soonest deadline first (tasks
    /// without one last), then by case and state. A scan of the running cases for now.
    func tasks(for person: String, now: Date) async throws(StoreError) -> [PersonTask] {
        var out: [PersonTask] = []
        for c in try store.list(CaseFilter(), now: now) where c.status == CaseStatus.running.rawValue {
            let stored = try store.load(c.id)
            let def = stored.definition, snap = stored.snapshot
            guard snap.people.values.contains(person) else { continue }
            let deadlines = Show.deadlines(def, snap, now: now).filter { !$0.fired }
            for t in Show.openTasks(def, snap, now: now) {
                guard let i = t.people.firstIndex(of: person), i < t.roles.count else { continue }
                let due = deadlines.filter { $0.state == t.state }.map(\.due).min()
                out.append(PersonTask(caseID: c.id, workflow: c.workflow, state: t.state, title: t.title, item: t.item, role: t.roles[i],
                                      events: t.events, due: due?.description))
            }
        }
        return out.sorted { a, b in
            switch (a.due, b.due) {
            case (let x?, let y?) where x != y: return x < y
            case (.some, .none): return true
            case (.none, .some): return false
            default: return (a.caseID, a.state, a.item ?? -1) < (b.caseID, b.state, b.item ?? -1)
            }
        }
    }

    // MARK: - Definitions

    /// Pins `definition`: idempotent by content hash; the version is its place among the
    /// workflow's definitions.
    func deploy(_ definition: Definition, now: Date) async throws(StoreError) -> DeployedDefinition {
        try store.storeDefinition(definition, now: now)
        guard let d = try await definitions(workflow: definition.ir.id).first(where: { $0.hash == definition.hash }) else {
            throw .corrupt("definition \(definition.hash) was stored but is not listed")
        }
        return d
    }

    /// Deployed definitions (of one workflow), newest first.
    func definitions(workflow: String?) async throws(StoreError) -> [DeployedDefinition] {
        var version: [String: Int] = [:]
        let numbered = try store.definitionRows(workflow: workflow).map { r in
            version[r.workflow, default: 0] += 1
            return (order: r.order, def: DeployedDefinition(hash: r.hash, workflow: r.workflow, version: version[r.workflow] ?? 1, createdAt: r.createdAt))
        }
        return numbered.sorted { $0.order > $1.order }.map(\.def)
    }

    func newestDefinition(workflow: String) async throws(StoreError) -> DeployedDefinition? {
        try await definitions(workflow: workflow).first
    }

    /// The stored definition with this hash, nil when none is stored.
    func definition(hash: String) async throws(StoreError) -> Definition? {
        guard try store.definitionRows().contains(where: { $0.hash == hash }) else { return nil }
        return try store.definition(hash: hash)
    }

    func attachSources(_ definitionHash: String, _ files: [PolicySource]) async throws(StoreError) {
        try store.attachSources(definitionHash, files)
    }

    func sources(_ definitionHash: String) async throws(StoreError) -> [PolicySource] {
        try store.sources(definitionHash)
    }
}
