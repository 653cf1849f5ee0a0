import Foundation
import WFCCalendar
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCStore
import WFCYAML

/// The operations of wfc as a typed async API, shared by the front ends: the HTTP server
/// maps its results and ``ServiceError``s to responses, the CLI renders them. Nothing here
/// prints, exits or knows HTTP.
///
/// Who may do what (docs/service.md):
/// - deploying definitions and `tick` need the `admin` scope; starting a case needs
///   `cases:start` or `admin`;
/// - reading a case (show, history, verify) needs a role in it (`people:`) or `admin`; a
///   list without `admin` holds only the cases the person has a role in;
/// - sending an event is decided by the policy (WFC6009 not-authorized for a person without
///   an allowed role), and a refused attempt is chained in the case's audit log.
public final class WorkflowService: Sendable {
    public let store: StoreAccess
    let clock: @Sendable () -> Date
    /// The compiler for posted workflows: imports resolve against nothing and only built-in
    /// calendars exist, so that a client never makes the server read one of its files.
    let compiler: WorkflowCompiler

    public init(store: StoreAccess, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
        compiler = Self.serverCompiler()
    }

    private init(store: StoreAccess, clock: @escaping @Sendable () -> Date, compiler: WorkflowCompiler) {
        self.store = store
        self.clock = clock
        self.compiler = compiler
    }

    /// The same service reading the clock as `time`: for the CLI's `--now`.
    public func at(_ time: Date) -> WorkflowService {
        WorkflowService(store: store, clock: { time }, compiler: compiler)
    }

    static func serverCompiler() -> WorkflowCompiler {
        var c = WorkflowCompiler(readFile: { _ in
            .failure(.unreadable("a workflow posted to the server cannot import files; inline the fragment"))
        })
        // No repository root: a path under a file, where no calendar file can exist.
        c.calendars = CalendarLookup(root: "/dev/null")
        return c
    }

    /// The service over the SQLite store at `path` (created when needed).
    public static func open(path: String) throws(ServiceError) -> WorkflowService {
        do { return WorkflowService(store: try StoreAccess(location: path, mode: .readWrite)) } catch { throw Self.map(error) }
    }

    // MARK: - Definitions

    /// Compiles `yaml` and pins it by content hash. Idempotent: the same definition again
    /// returns its first version with `created: false`.
    public func deploy(yaml: String, fileName: String, by who: Principal) async throws(ServiceError) -> DeployResult {
        try require(Principal.adminScope, who, "deploying a definition")
        let name = Self.displayName(fileName)
        let file = SourceFile(path: name, bytes: Array(yaml.utf8))
        let result = compiler.compile(file)
        let sources = SourceMap(result.sources)
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let ir = result.ir else {
            if result.isFragment {
                throw ServiceError(.invalidWorkflow, MalformedRequest(message: "`\(name)` is a fragment, not a workflow: deploy the workflow that imports it, with the fragment inlined"))
            }
            throw ServiceError(.invalidWorkflow, result.diagnostics.sortedForOutput(), sources: sources)
        }
        let def: Definition
        do { def = try Definition(ir) } catch {
            throw ServiceError(.invalidWorkflow, DefinitionNotExecutable(message: error.description))
        }
        let now = clock()
        let before = try await call { () async throws(StoreError) in try await store.definition(hash: def.hash) }
        let deployed = try await call { () async throws(StoreError) in try await store.deploy(def, now: now) }
        if before == nil {
            let files = result.sources.map { PolicySource(irFile: $0.path, path: $0.path, text: String(decoding: $0.bytes, as: UTF8.self)) }
            try await call { () async throws(StoreError) in try await store.attachSources(def.hash, files) }
        }
        return DeployResult(hash: deployed.hash, workflow: deployed.workflow, version: deployed.version, createdAt: deployed.createdAt,
                            created: before == nil, warnings: DiagnosticJSON.from(result.diagnostics.filter { $0.severity != .error }.sortedForOutput(), sources: sources))
    }

    /// Deployed definitions (of one workflow), newest first. Any person may list them.
    public func definitions(workflow: String? = nil, by who: Principal) async throws(ServiceError) -> [DeployedDefinition] {
        try await call { () async throws(StoreError) in try await store.definitions(workflow: workflow) }
    }

    /// A file name to show in diagnostics: its last component, printable, `workflow.yaml`
    /// when none is usable.
    static func displayName(_ fileName: String) -> String {
        let last = fileName.split(separator: "/").last.map(String.init) ?? ""
        return StoredText.problem(last, what: "a file name") == nil && !last.isEmpty ? last : "workflow.yaml"
    }

    // MARK: - Cases

    /// Starts a case on a deployed definition; the starter is recorded as the start's actor.
    public func startCase(_ request: StartCaseRequest, by who: Principal) async throws(ServiceError) -> CaseView {
        guard who.isAdmin || who.scopes.contains(Principal.startScope) else {
            throw ServiceError(.forbidden, MissingScope(message: "starting a case needs the `\(Principal.startScope)` or `\(Principal.adminScope)` scope"),
                               help: "ask for a token with --scope \(Principal.startScope)")
        }
        let def = try await resolve(request.definition)
        return try await start(def, id: request.id, data: request.data ?? [:], people: request.people, by: who, policy: nil)
    }

    /// Starts a case on `def`. `policy`: the policy texts to attach (once the case is stored)
    /// and to point a refusal into; nil to use those stored with the definition.
    func start(_ def: Definition, id: String?, data: [String: ValueIR], people: [String: String], by who: Principal,
               policy: [PolicySource]?) async throws(ServiceError) -> CaseView {
        let caseID = id ?? "\(def.ir.id)-\(UUID().uuidString.prefix(8).lowercased())"
        let now = clock()
        let outcome = try await call { () async throws(StoreError) in
            // The CLI's operator without `--as` records no actor.
            try await store.start(def, caseID: caseID, data: data, people: people, actor: who.person.isEmpty ? nil : who.person, now: now)
        }
        switch outcome {
        case .refused(let r):
            throw try await refusal(r, definitionHash: def.hash, recordedSeq: nil, policy: policy)
        case .started(let step, let audit):
            if let policy {
                // The case is stored: policy text that could not be attached only costs the
                // refusals their source lines.
                _ = try? await store.attachSources(def.hash, policy)
            }
            return CaseView(def, step.snapshot, headSeq: audit.seq, headHash: audit.hash, now: now)
        }
    }

    /// The definition a start names: a stored content hash, else the newest deployed
    /// definition of the workflow with that id.
    func resolve(_ name: String) async throws(ServiceError) -> Definition {
        if let d = try await call({ () async throws(StoreError) in try await store.definition(hash: name) }) { return d }
        if let newest = try await call({ () async throws(StoreError) in try await store.newestDefinition(workflow: name) }),
           let d = try await call({ () async throws(StoreError) in try await store.definition(hash: newest.hash) }) {
            return d
        }
        throw ServiceError(.notFound, UnknownDefinition(message: "no deployed definition has the hash or workflow id `\(StoredText.escaped(name))`"),
                           help: "`GET /v1/definitions` lists what is deployed")
    }

    /// Sends `request` to a case as `actor` (the verified person, never a request field).
    /// A refused event is recorded in the audit log and thrown as ``ServiceError`` with
    /// ``ServiceError/recordedSeq``; a repeated idempotency key returns its first outcome.
    public func fire(caseID: String, _ request: FireRequest, actor: Principal, idempotencyKey: String? = nil) async throws(ServiceError) -> FireResult {
        let event = Event(request.event, actor: actor.person, payload: request.data ?? [:], idempotencyKey: idempotencyKey, item: request.item, role: request.role,
                          assign: request.assign, actingFor: request.actingFor)
        let now = clock()
        if let p = request.actingFor { try await checkActingFor(p, actor: actor, now: now) }
        return try await send(caseID: caseID, event, now: now)
    }

    /// Hands an open task, or a role for the rest of the case, to another person (转交) as
    /// `actor`, who must hold a role of the policy's `reassign: {by: …}`. Recorded and refused
    /// like ``fire(caseID:_:actor:idempotencyKey:)``.
    public func reassign(caseID: String, _ request: ReassignRequest, actor: Principal, idempotencyKey: String? = nil) async throws(ServiceError) -> FireResult {
        let r = Reassignment(role: request.role, person: request.person, task: request.task, reason: request.reason)
        return try await send(caseID: caseID, Event.reassigning(r, actor: actor.person, item: request.item, idempotencyKey: idempotencyKey), now: clock())
    }

    /// Stores one event (a named event or a reassignment) at `now` and explains a refusal.
    func send(caseID: String, _ event: Event, now: Date) async throws(ServiceError) -> FireResult {
        let outcome = try await call { () async throws(StoreError) in try await store.fire(caseID, event, now: now) }
        switch outcome {
        case .accepted(let step, let audit):
            // The pinned definition is cached by the ledger: no second read of the case.
            let def = try await pinned(step.snapshot.definitionHash, caseID)
            return FireResult(outcome: "accepted", id: caseID, seq: audit.seq, hash: audit.hash, version: step.snapshot.version,
                              status: step.snapshot.status.rawValue, active: Show.activeStates(def, step.snapshot),
                              effects: step.effects.map(EffectText.describe))
        case .refused(let r, let audit):
            let hash = try await call { () async throws(StoreError) in try await store.load(caseID) }.definition.hash
            throw try await refusal(r, definitionHash: hash, recordedSeq: audit.seq, recorded: audit)
        case .replayed(let a):
            let o = a.decodedOutcome
            if let r = o?.refusal?.refusal {
                let hash = try await call { () async throws(StoreError) in try await store.load(caseID) }.definition.hash
                throw try await refusal(r, definitionHash: hash, recordedSeq: a.seq, recorded: a, replayed: true)
            }
            var result = FireResult(outcome: "replayed", id: caseID, seq: a.seq, hash: a.hash, version: o?.version ?? 0, status: o?.status ?? "",
                                    active: o?.active ?? [], effects: [])
            result.firstEvent = a
            return result
        }
    }

    /// The case view, for a participant or an administrator.
    public func show(caseID: String, by who: Principal) async throws(ServiceError) -> CaseView {
        let c = try await readable(caseID, who)
        return CaseView(c.definition, c.snapshot, headSeq: c.headSeq, headHash: c.headHash, now: clock())
    }

    /// One page of cases, newest first; without `admin`, only the person's own cases.
    public func list(_ query: CaseListQuery, by who: Principal) async throws(ServiceError) -> CasePage {
        guard (1...500).contains(query.limit) else {
            throw ServiceError(.badRequest, MalformedRequest(message: "limit must be 1 to 500, not \(query.limit)"))
        }
        var q = query
        if !who.isAdmin { q.participant = who.person }
        let now = clock()
        return try await call { () async throws(StoreError) in try await store.list(q, now: now) }
    }

    /// The audit log with its hashes, for a participant or an administrator.
    public func history(caseID: String, by who: Principal) async throws(ServiceError) -> HistoryResult {
        _ = try await readable(caseID, who)
        return HistoryResult(id: caseID, events: try await call { () async throws(StoreError) in try await store.history(caseID) })
    }

    /// Re-walks the case's hash chain and replays its log, for a participant or an administrator.
    public func verify(caseID: String, by who: Principal) async throws(ServiceError) -> VerifyResult {
        try await verifyCase(caseID, against: nil, by: who).result
    }

    /// Fires what is due now in every running case (administrators only).
    public func tick(by who: Principal) async throws(ServiceError) -> [TickResult] {
        try await tick(by: who, progress: { _ in })
    }

    /// ``tick(by:)`` that calls `progress` with each case's result as soon as it is committed
    /// (or failed), so that a front end can report it before the next case.
    public func tick(by who: Principal, progress: (TickResult) -> Void) async throws(ServiceError) -> [TickResult] {
        try require(Principal.adminScope, who, "running due timers")
        let now = clock()
        return try await call { () async throws(StoreError) in
            try await store.tick(now: now) { progress(TickResult($0)) }
        }.map(TickResult.init)
    }

    /// The person's open tasks in every case, soonest deadline first.
    public func tasks(for who: Principal) async throws(ServiceError) -> [PersonTask] {
        let now = clock()
        return try await call { () async throws(StoreError) in try await store.tasks(for: who.person, now: now) }
    }

    /// The deployed definition with this content hash (its IR: schema, states, titles), for
    /// a front end that draws forms and diagrams. Like ``definitions(workflow:by:)``, any
    /// person may read it: a definition holds no case data.
    public func definition(hash: String, by who: Principal) async throws(ServiceError) -> Definition {
        guard let d = try await call({ () async throws(StoreError) in try await store.definition(hash: hash) }) else {
            throw ServiceError(.notFound, UnknownDefinition(message: "no deployed definition has the hash `\(StoredText.escaped(hash))`"),
                               help: "`GET /v1/definitions` lists what is deployed")
        }
        return d
    }

    /// Compiles `yaml` exactly as ``deploy(yaml:fileName:by:)`` would, storing nothing: for
    /// an author who wants the diagnostics (and, when clean, the policy) before deploying.
    /// Needs the `admin` scope, like deploying.
    public func check(yaml: String, fileName: String, by who: Principal) throws(ServiceError) -> DraftCheck {
        try require(Principal.adminScope, who, "checking a draft definition")
        let file = SourceFile(path: Self.displayName(fileName), bytes: Array(yaml.utf8))
        let result = compiler.compile(file)
        let diagnostics = DiagnosticJSON.from(result.diagnostics.sortedForOutput(), sources: SourceMap(result.sources))
        let clean = !result.isFragment && result.ir != nil && !result.diagnostics.contains { $0.severity == .error }
        return DraftCheck(diagnostics: diagnostics, ir: clean ? result.ir : nil)
    }

    /// The time this service reads as now (the test clock of `wfc serve --test-clock`, else
    /// the system's): for a front end that shows it.
    public var now: Date { clock() }

    // MARK: - Helpers

    /// The definition with this hash, else (not expected: the case pins it) the case's.
    func pinned(_ hash: String, _ caseID: String) async throws(ServiceError) -> Definition {
        if let d = try await call({ () async throws(StoreError) in try await store.definition(hash: hash) }) { return d }
        return try await call { () async throws(StoreError) in try await store.load(caseID) }.definition
    }

    /// The case, when `who` may read it: a role in it, or `admin`.
    func readable(_ caseID: String, _ who: Principal) async throws(ServiceError) -> StoredCase {
        let c = try await call { () async throws(StoreError) in try await store.load(caseID) }
        // A person handed an open task (转交) or added to a sign-off (加签) takes part in the case
        // without holding its role.
        var allowed = who.isAdmin || c.snapshot.people.values.contains(who.person) || Show.addedSigners(c.snapshot).contains(who.person)
            || Show.openTasks(c.definition, c.snapshot, now: clock()).contains(where: { $0.people.contains(who.person) })
        // A substitute (代理) reads the cases of the people they stand in for now.
        if !allowed { allowed = try await standsIn(for: c.snapshot.people, who) }
        guard allowed else {
            throw ServiceError(.forbidden, NotAParticipant(message: "`\(StoredText.escaped(who.person))` holds no role in case `\(StoredText.escaped(caseID))`"),
                               help: "a case is shown to the people bound to its roles and to administrators")
        }
        return c
    }

    func require(_ scope: String, _ who: Principal, _ doing: String) throws(ServiceError) {
        guard who.scopes.contains(scope) else {
            throw ServiceError(.forbidden, MissingScope(message: "\(doing) needs the `\(scope)` scope"), help: "ask for a token with --scope \(scope)")
        }
    }

    /// A policy refusal as an error: at the policy line, with the policy text (`policy`, else
    /// the text stored with the definition).
    func refusal(_ r: Refusal, definitionHash: String, recordedSeq: Int?, recorded: AuditEvent? = nil, replayed: Bool = false,
                 policy: [PolicySource]? = nil) async throws(ServiceError) -> ServiceError {
        let files: [PolicySource]
        if let policy { files = policy } else { files = try await call { () async throws(StoreError) in try await store.sources(definitionHash) } }
        let map = SourceMap(files.map { SourceFile(path: $0.path, text: $0.text) })
        let d = RuntimeDiagnostics.diagnostic(r, file: { ir in files.first { $0.irFile == ir }?.path ?? ir }, fallback: .unlocated)
        let kind: ServiceError.Kind = [.notAuthorized, .roleNotHeld, .reassignNotAllowed, .substituteNotAllowed].contains(r.kind) ? .forbidden : .refused
        return ServiceError(kind, [d], sources: map, recordedSeq: recordedSeq, cause: .refused(r, policy: files, recorded: recorded, replayed: replayed))
    }

    /// Runs a store call, turning its failure into a ``ServiceError``.
    func call<T>(_ body: () async throws(StoreError) -> T) async throws(ServiceError) -> T {
        do { return try await body() } catch { throw Self.map(error) }
    }

    /// A store failure as a service error: its WFC7xxx diagnostic and kind.
    public static func map(_ error: StoreError) -> ServiceError {
        let kind: ServiceError.Kind
        switch error.kind {
        case .notFound, .unknownDefinition, .unknownSubstitution: kind = .notFound
        case .substitutionOverlaps: kind = .conflict(retryable: false)
        case .invalidSubstitution: kind = .badRequest
        case .alreadyExists: kind = .conflict(retryable: false)
        case .conflict, .busy, .timedOut: kind = .conflict(retryable: true)
        case .invalidArgument, .unsafeText, .keyReused, .checkpointInvalid: kind = .badRequest
        case .corrupt, .io, .notAStore, .unsupportedBackend, .unavailable, .schemaTooNew, .permissionDenied: kind = .unavailable
        case .badLocation: kind = .badRequest
        }
        return ServiceError(kind, [StoreDiagnostics.diagnostic(error, storePath: "the server's store")], cause: .store(error))
    }
}

/// What ``WorkflowService/check(yaml:fileName:by:)`` found: every diagnostic, and the IR when
/// the draft is clean (no error; a fragment is never clean).
public struct DraftCheck: Sendable {
    public var diagnostics: [DiagnosticJSON]
    public var ir: WorkflowIR?
}

extension ServiceError {
    /// One unlocated diagnostic with a help text.
    init(_ kind: Kind, _ message: some DiagnosticMessage, help: String) {
        self.init(kind, [Diagnostic(message, at: .unlocated, help: help)])
    }
}
