import Foundation
import WFCDiagnostics
import WFCIR
import WFCMigration
import WFCRuntime
import WFCStore

/// `POST /v1/definitions/{hash}/migrations`: move the running cases of a deployed definition to
/// another deployed definition by a migration plan (YAML text).
public struct MigrationRequest: Codable, Equatable, Sendable {
    /// The content hash of the deployed definition to migrate to.
    public var to: String
    /// The plan file's text (`from:`/`to:` are not read: the definitions are the path's and `to`).
    public var plan: String
    /// Report per case what would happen; write nothing.
    public var dryRun: Bool?
    /// Only these cases (default: every running case of the definition).
    public var cases: [String]?

    public static let fields: Set<String> = ["to", "plan", "dryRun", "cases"]

    public init(to: String, plan: String, dryRun: Bool? = nil, cases: [String]? = nil) {
        self.to = to
        self.plan = plan
        self.dryRun = dryRun
        self.cases = cases
    }
}

/// What a migration did (or would do) to one case.
public struct MigrationCaseResult: Codable, Equatable, Sendable {
    public var id: String
    /// `migrated`, `would-migrate` or `refused` (the case stays on its version).
    public var outcome: String
    /// The migration's audit event, when recorded.
    public var seq: Int?
    public var hash: String?
    public var version: Int?
    /// Active states on the new version, outermost first.
    public var active: [String]?
    /// Why it was refused: the runtime's code (WFC6xxx), kind, message and details.
    public var code: String?
    public var kind: String?
    public var message: String?
    public var details: [String]?
}

/// The result of a migration run, over every case it was asked about.
public struct MigrationResult: Codable, Equatable, Sendable {
    public var from: String
    public var to: String
    public var planHash: String
    public var dryRun: Bool
    /// How many cases were (or would be) migrated, and how many were refused.
    public var migrated: Int
    public var refused: Int
    public var cases: [MigrationCaseResult]
    /// The plan's warnings (e.g. separations checked per case).
    public var warnings: [DiagnosticJSON]
}

extension WorkflowService {
    /// The running cases pinned to the definition `hash`, sorted (administrators only).
    public func runningCases(of hash: String, by who: Principal) async throws(ServiceError) -> [String] {
        try require(Principal.adminScope, who, "listing the cases of a definition")
        return try await call { () async throws(StoreError) in try await store.ledger.runningCases(of: hash) }
    }

    /// Compiles `request.plan` against the deployed definitions `from` and `request.to`, and
    /// migrates their running cases (or `request.cases`) one step each (administrators only).
    /// A plan with errors is thrown as ``ServiceError/Kind/invalidWorkflow`` with its
    /// diagnostics; a case the plan cannot move is listed as refused and stays on its version.
    public func migrate(from hash: String, _ request: MigrationRequest, by who: Principal) async throws(ServiceError) -> MigrationResult {
        try require(Principal.adminScope, who, "migrating cases")
        guard let old = try await call({ () async throws(StoreError) in try await store.definition(hash: hash) }) else {
            throw ServiceError(.notFound, UnknownDefinition(message: "no deployed definition has the hash `\(StoredText.escaped(hash))`"),
                               help: "`GET /v1/definitions` lists what is deployed")
        }
        guard let new = try await call({ () async throws(StoreError) in try await store.definition(hash: request.to) }) else {
            throw ServiceError(.notFound, UnknownDefinition(message: "no deployed definition has the hash `\(StoredText.escaped(request.to))` (`to`)"),
                               help: "deploy the new version first (`POST /v1/definitions`)")
        }
        let file = SourceFile(path: "plan.migrate.yaml", text: request.plan)
        var oldIR = old.ir, newIR = new.ir
        oldIR.contentHash = old.hash
        newIR.contentHash = new.hash
        let compiled = MigrationPlanCompiler().compile(file, old: oldIR, new: newIR)
        guard let plan = compiled.plan else {
            throw ServiceError(.invalidWorkflow, compiled.diagnostics.sortedForOutput(), sources: SourceMap([file]))
        }
        let ids: [String]
        if let cases = request.cases { ids = cases } else {
            ids = try await call { () async throws(StoreError) in try await store.ledger.runningCases(of: old.hash) }
        }
        var result = try await migrate(cases: ids, plan: plan, to: new, dryRun: request.dryRun ?? false, by: who)
        result.warnings = DiagnosticJSON.from(compiled.diagnostics.sortedForOutput(), sources: SourceMap([file]))
        return result
    }

    /// Migrates `ids` by a compiled `plan` to `new` (administrators only): each case is ONE
    /// step of its audit log, or — refused, or in a dry run — nothing is written. The CLI
    /// compiles the plan from files itself and calls this.
    /// `policy`: the new version's policy text, kept with its definition once a case is migrated.
    public func migrate(cases ids: [String], plan: MigrationPlanIR, to new: Definition, dryRun: Bool, by who: Principal, policy: [PolicySource]? = nil,
                        progress: (MigrationCaseResult) -> Void = { _ in }) async throws(ServiceError) -> MigrationResult {
        try require(Principal.adminScope, who, "migrating cases")
        let planHash: String
        do { planHash = try plan.hash() } catch {
            throw ServiceError(.badRequest, MalformedRequest(message: "the migration plan does not encode: \(error)"))
        }
        let now = clock()
        var out = MigrationResult(from: plan.from, to: plan.to, planHash: planHash, dryRun: dryRun, migrated: 0, refused: 0, cases: [], warnings: [])
        for id in ids {
            let outcome = try await call { () async throws(StoreError) in
                try await store.ledger.migrate(id, plan: plan, to: new, actor: who.person.isEmpty ? nil : who.person, now: now, dryRun: dryRun)
            }
            var c = MigrationCaseResult(id: id, outcome: "refused")
            switch outcome {
            case .migrated(let step, let audit):
                c.outcome = "migrated"
                c.seq = audit.seq
                c.hash = audit.hash
                c.version = step.snapshot.version
                c.active = Show.activeStates(new, step.snapshot)
                out.migrated += 1
                if out.migrated == 1, let policy {
                    // Only costs later refusals their source lines when it fails.
                    _ = try? await store.attachSources(new.hash, policy)
                }
            case .wouldMigrate(let step):
                c.outcome = "would-migrate"
                c.version = step.snapshot.version
                c.active = Show.activeStates(new, step.snapshot)
                out.migrated += 1
            case .refused(let r):
                c.code = RuntimeDiagnostics.descriptor(r.kind).code.rawValue
                c.kind = r.kind.rawValue
                c.message = r.message
                c.details = r.details
                out.refused += 1
            }
            progress(c)
            out.cases.append(c)
        }
        return out
    }
}
