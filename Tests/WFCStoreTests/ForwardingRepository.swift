import WFCLedger
import WFCStore

/// A test repository that wraps SQLite and changes one or two of its calls; everything else
/// goes to ``base``. (`appendAll` is not forwarded: a wrapper that does not define it gets the
/// protocol's default, one `append` at a time.)
protocol ForwardingRepository: CaseRepository {
    var base: SQLiteRepository { get }
}

extension ForwardingRepository {
    func append(_ step: Append) async throws(StoreError) { try await base.append(step) }
    func loadCase(_ id: String) async throws(StoreError) -> CaseRecord { try await base.loadCase(id) }
    func caseExists(_ id: String) async throws(StoreError) -> Bool { try await base.caseExists(id) }
    func insertCase(_ new: NewCase) async throws(StoreError) { try await base.insertCase(new) }
    func event(_ caseID: String, idempotencyKey: String) async throws(StoreError) -> AuditEvent? { try await base.event(caseID, idempotencyKey: idempotencyKey) }
    func events(_ caseID: String) async throws(StoreError) -> [AuditRow] { try await base.events(caseID) }
    func caseRows(_ caseID: String) async throws(StoreError) -> CaseRows { try await base.caseRows(caseID) }
    func listCases(_ query: CaseQuery) async throws(StoreError) -> [CaseSummary] { try await base.listCases(query) }
    func dueCases(now: String, limit: Int?) async throws(StoreError) -> [String] { try await base.dueCases(now: now, limit: limit) }
    func claimDueCases(now: String, owner: String, until: String, limit: Int) async throws(StoreError) -> [String] {
        try await base.claimDueCases(now: now, owner: owner, until: until, limit: limit)
    }
    func caseIDs() async throws(StoreError) -> [String] { try await base.caseIDs() }
    func heads() async throws(StoreError) -> [HeadRecord] { try await base.heads() }
    func putDefinition(_ definition: DefinitionRecord) async throws(StoreError) -> DeployedDefinition { try await base.putDefinition(definition) }
    func definition(hash: String, withIR: Bool) async throws(StoreError) -> DefinitionRecord? { try await base.definition(hash: hash, withIR: withIR) }
    func definitions(workflow: String?) async throws(StoreError) -> [DeployedDefinition] { try await base.definitions(workflow: workflow) }
    func attachSources(_ definitionHash: String, _ files: [PolicySource]) async throws(StoreError) { try await base.attachSources(definitionHash, files) }
    func sources(_ definitionHash: String) async throws(StoreError) -> [PolicySource] { try await base.sources(definitionHash) }
    func tasks(person: String) async throws(StoreError) -> [PersonTask] { try await base.tasks(person: person) }
    func claimOutbox(owner: String, limit: Int, now: String, until: String) async throws(StoreError) -> [OutboxEntry] {
        try await base.claimOutbox(owner: owner, limit: limit, now: now, until: until)
    }
    func markDelivered(_ ids: [String], at: String) async throws(StoreError) { try await base.markDelivered(ids, at: at) }
    func retryOutbox(_ id: String, notBefore: String, error: String) async throws(StoreError) { try await base.retryOutbox(id, notBefore: notBefore, error: error) }
    func addSubstitution(_ s: Substitution) async throws(StoreError) { try await base.addSubstitution(s) }
    func substitutions(_ query: SubstitutionQuery) async throws(StoreError) -> [Substitution] { try await base.substitutions(query) }
    func revokeSubstitution(id: String, by: String, at: String) async throws(StoreError) -> Substitution { try await base.revokeSubstitution(id: id, by: by, at: at) }
    func putSession(_ s: WebSessionRecord) async throws(StoreError) { try await base.putSession(s) }
    func session(idHash: String, now: String) async throws(StoreError) -> WebSessionRecord? { try await base.session(idHash: idHash, now: now) }
    func removeSession(idHash: String) async throws(StoreError) { try await base.removeSession(idHash: idHash) }
    func purgeSessions(now: String) async throws(StoreError) -> Int { try await base.purgeSessions(now: now) }
}
