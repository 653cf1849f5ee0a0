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

    /// How a front end opens the store.
    public enum Mode: Sendable {
        /// Created and migrated when needed.
        case readWrite
        /// Opened read-only, so that an archived copy (a read-only file or folder) can be read
        /// and verified; a SQLite store that does not exist yet (no file, or an empty one) is
        /// created as for ``readWrite``. PostgreSQL is always opened as configured.
        case read
    }

    /// Opens (creating when needed) the store at `path`.
    public convenience init(path: String, busyTimeout: TimeInterval = 10) throws(StoreError) {
        try self.init(location: path, mode: .readWrite, busyTimeout: busyTimeout)
    }

    /// Opens the store at `location`: a SQLite path (or `file://` URL), or a `postgres://`
    /// URL (``StoreLocation/open(_:readOnly:busyTimeout:)``); another scheme is
    /// ``StoreError/unsupportedBackend(location:scheme:)``. The one place where the front ends
    /// open a store.
    public init(location: String, mode: Mode, busyTimeout: TimeInterval = 10) throws(StoreError) {
        if StoreLocation.isServer(location) {
            ledger = Ledger(try StoreLocation.open(location, busyTimeout: busyTimeout))
            self.location = StoreLocation.display(location)
            return
        }
        try SQLiteRepository.checkLocation(location)
        let path = SQLiteRepository.filePath(location)
        var readOnly = false
        if mode == .read {
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            readOnly = (size ?? 0) > 0
        }
        ledger = Ledger(try StoreLocation.open(location, readOnly: readOnly, busyTimeout: busyTimeout))
        self.location = path
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

    func tick(now: Date, progress: (TickOutcome) -> Void) async throws(StoreError) -> [TickOutcome] {
        try await ledger.tick(now: now, progress: progress)
    }

    func load(_ caseID: String) async throws(StoreError) -> StoredCase {
        try await ledger.load(caseID)
    }

    func history(_ caseID: String) async throws(StoreError) -> [AuditEvent] {
        try await ledger.history(caseID)
    }

    func verify(_ caseID: String, checkpoint: Checkpoint.Head?) async throws(StoreError) -> VerifyReport {
        try await ledger.verify(caseID, checkpoint: checkpoint)
    }

    func caseIDs() async throws(StoreError) -> [String] {
        try await ledger.caseIDs()
    }

    func heads() async throws(StoreError) -> [Checkpoint.Head] {
        try await ledger.heads()
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
