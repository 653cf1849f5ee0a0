import Foundation
import WFCIR
import WFCLedger
import WFCRuntime
import WFCStore

/// Which cases ``WorkflowService/list(_:by:)`` returns: the ledger's filters, the person who
/// must hold a role, and one page.
public struct CaseListQuery: Codable, Equatable, Sendable {
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

/// Every call the service makes to the case ledger is in this file.
public final class StoreAccess: Sendable {
    /// The store location, for messages.
    public let location: String
    public let ledger: Ledger

    /// Opens (creating when needed) the store at `path`: a SQLite file, or a `postgres://` URL
    /// (``StoreLocation/open(_:readOnly:busyTimeout:)``).
    public init(path: String, busyTimeout: TimeInterval = 10) throws(StoreError) {
        ledger = Ledger(try StoreLocation.open(path, busyTimeout: busyTimeout))
        location = StoreLocation.isServer(path) ? StoreLocation.display(path) : SQLiteRepository.filePath(path)
    }

    /// The service over an existing ledger (any repository).
    public init(ledger: Ledger, location: String) {
        self.ledger = ledger
        self.location = location
    }

    // MARK: - Cases

    func start(_ definition: Definition, caseID: String, data: [String: ValueIR], people: [String: String], actor: String?, now: Date) async throws(StoreError) -> StartOutcome {
        try await ledger.start(definition, caseID: caseID, data: data, people: people, actor: actor, now: now)
    }

    func fire(_ caseID: String, _ event: Event, now: Date) async throws(StoreError) -> FireOutcome {
        try await ledger.fire(caseID, event, now: now)
    }

    func tick(now: Date) async throws(StoreError) -> [TickOutcome] {
        try await ledger.tick(now: now)
    }

    func load(_ caseID: String) async throws(StoreError) -> StoredCase {
        try await ledger.load(caseID)
    }

    func history(_ caseID: String) async throws(StoreError) -> [AuditEvent] {
        try await ledger.history(caseID)
    }

    func verify(_ caseID: String) async throws(StoreError) -> VerifyReport {
        try await ledger.verify(caseID)
    }

    /// Newest first (creation time, then id), filtered, one page, in SQL.
    func list(_ query: CaseListQuery, now: Date) async throws(StoreError) -> CasePage {
        try await ledger.list(CaseFilter(workflow: query.workflow, state: query.state, overdue: query.overdue, status: query.status,
                                         participant: query.participant, limit: query.limit, cursor: query.cursor), now: now)
    }

    /// The open tasks of `person` in every running case, soonest deadline first (the task index).
    func tasks(for person: String, now: Date) async throws(StoreError) -> [PersonTask] {
        try await ledger.tasks(for: person, now: now)
    }

    // MARK: - Definitions

    /// Pins `definition`: idempotent by content hash, numbered per workflow.
    func deploy(_ definition: Definition, now: Date) async throws(StoreError) -> DeployedDefinition {
        try await ledger.deploy(definition, now: now)
    }

    /// Deployed definitions (of one workflow), newest first.
    func definitions(workflow: String?) async throws(StoreError) -> [DeployedDefinition] {
        try await ledger.definitions(workflow: workflow)
    }

    func newestDefinition(workflow: String) async throws(StoreError) -> DeployedDefinition? {
        try await ledger.newestDefinition(workflow: workflow)
    }

    /// The stored definition with this hash, nil when none is stored.
    func definition(hash: String) async throws(StoreError) -> Definition? {
        do {
            return try await ledger.definition(hash: hash)
        } catch .unknownDefinition {
            return nil
        }
    }

    func attachSources(_ definitionHash: String, _ files: [PolicySource]) async throws(StoreError) {
        try await ledger.attachSources(definitionHash, files)
    }

    func sources(_ definitionHash: String) async throws(StoreError) -> [PolicySource] {
        try await ledger.sources(definitionHash)
    }
}
