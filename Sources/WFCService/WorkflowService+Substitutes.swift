import Foundation
import WFCDiagnostics
import WFCRuntime
import WFCStore

/// `POST /v1/people/{id}/substitutes`, `wfc people substitute add`: who stands in, and when.
public struct SubstituteRequest: Codable, Equatable, Sendable {
    /// The substitute's person id.
    public var substitute: String
    /// A date (`2025-10-01`, from the start of that day, China Standard Time) or an RFC 3339
    /// time (`2025-10-01T09:00:00+08:00`).
    public var from: String
    /// A date (to the end of that day: included) or an RFC 3339 time (excluded).
    public var until: String
    public var reason: String?

    public init(substitute: String, from: String, until: String, reason: String? = nil) {
        self.substitute = substitute
        self.from = from
        self.until = until
        self.reason = reason
    }

    /// The fields a request may have.
    public static let fields: Set<String> = ["substitute", "from", "until", "reason"]
}

/// Substitutes (代理, docs/service.md "Substitutes"): a person names their own substitute;
/// naming, listing or revoking another person's needs the `admin` scope. Identities come
/// from the verified token only.
extension WorkflowService {
    /// Names `request.substitute` as `person`'s substitute for the range.
    public func addSubstitute(person: String, _ request: SubstituteRequest, by who: Principal) async throws(ServiceError) -> Substitution {
        try mayManage(person, who, "naming a substitute for")
        guard let range = SubstitutionRange.parse(from: request.from, until: request.until) else {
            throw ServiceError(.badRequest, InvalidSubstitutionRange(message: "`\(StoredText.escaped(request.from))` – `\(StoredText.escaped(request.until))` is no range of a substitution"),
                               help: "give \(SubstitutionRange.forms)")
        }
        let now = clock()
        return try await call { () async throws(StoreError) in
            try await store.ledger.addSubstitute(person: person, substitute: request.substitute, from: range.from, until: range.until,
                                                 reason: request.reason, by: who.person.isEmpty ? person : who.person, now: now)
        }
    }

    /// `person`'s substitutions (revoked ones too with `includeRevoked`), and those naming them
    /// as substitute when `asSubstitute`.
    public func substitutes(person: String, asSubstitute: Bool = false, includeRevoked: Bool = false, by who: Principal) async throws(ServiceError) -> [Substitution] {
        try mayManage(person, who, "reading the substitutes of")
        let q = asSubstitute ? SubstitutionQuery(substitute: person, includeRevoked: includeRevoked) : SubstitutionQuery(person: person, includeRevoked: includeRevoked)
        return try await call { () async throws(StoreError) in try await store.ledger.substitutions(q) }
    }

    /// Ends one of `person`'s substitutions now.
    public func revokeSubstitute(person: String, id: String, by who: Principal) async throws(ServiceError) -> Substitution {
        try mayManage(person, who, "revoking a substitute of")
        let now = clock()
        let all = try await call { () async throws(StoreError) in try await store.ledger.substitutions(SubstitutionQuery(person: person, includeRevoked: true)) }
        guard all.contains(where: { $0.id == id }) else {
            throw Self.map(.unknownSubstitution(id: id))
        }
        return try await call { () async throws(StoreError) in
            try await store.ledger.revokeSubstitute(id: id, by: who.person.isEmpty ? person : who.person, now: now)
        }
    }

    /// Refuses an event sent for `person` by someone who is not their substitute at `now`.
    func checkActingFor(_ person: String, actor: Principal, now: Date) async throws(ServiceError) {
        let ok = try await call { () async throws(StoreError) in try await store.ledger.isSubstitute(actor.person, for: person, now: now) }
        guard ok else {
            throw ServiceError(.forbidden, NotASubstitute(message: "`\(StoredText.escaped(actor.person))` is not a substitute of `\(StoredText.escaped(person))` at \(Timestamp(now))"),
                               help: "the person names a substitute with `wfc people substitute add PERSON SUBSTITUTE --from … --until …` (or POST /v1/people/PERSON/substitutes)")
        }
    }

    /// The people `who` stands in for now (their substitute), sorted: the web inbox offers
    /// their tasks with "代 X 处理".
    public func principals(of who: Principal) async throws(ServiceError) -> [String] {
        let now = clock()
        return try await call { () async throws(StoreError) in try await store.ledger.principals(of: who.person, now: now) }
    }

    /// Whether `who` is now the substitute of one of a case's `people`: they may read the case.
    func standsIn(for people: [String: String], _ who: Principal) async throws(ServiceError) -> Bool {
        guard !who.person.isEmpty else { return false }
        let mine = try await principals(of: who)
        return mine.contains { people.values.contains($0) }
    }

    func mayManage(_ person: String, _ who: Principal, _ doing: String) throws(ServiceError) {
        guard who.person != person && !who.isAdmin else { return }
        throw ServiceError(.forbidden, NotYourSubstitutes(message: "\(doing) `\(StoredText.escaped(person))` needs the `\(Principal.adminScope)` scope; `\(StoredText.escaped(who.person))` may manage only their own substitutes"),
                           help: "a person names their own substitutes; an administrator may name anyone's")
    }
}

/// WFC9012: an event sent for a person (`actingFor`, `--for`) by someone who is not their substitute now.
public struct NotASubstitute: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9012", name: "not-a-substitute", summary: "An event was sent for a person by someone who is not their substitute now.",
        explanation: """
            A substitute (代理) sends an event for the person they stand in for (`actingFor` in \
            `POST /v1/cases/{id}/events`, `--for` in `wfc case fire`). The service checks the \
            person's substitution record at the event's time: without one naming the sender, \
            that has not begun, has ended or was revoked, the event is refused before it reaches \
            the case (HTTP 403, exit 1) and nothing is recorded.
            """,
        example: "$ wfc case fire C1 approve --as li.si --for wang.wu   # wang.wu named no substitute\n",
        fix: "$ wfc people substitute add wang.wu li.si --from 2025-10-01 --until 2025-10-07\n$ wfc case fire C1 approve --as li.si --for wang.wu --now 2025-10-02\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9013: managing another person's substitutes without the `admin` scope.
public struct NotYourSubstitutes: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9013", name: "not-your-substitutes", summary: "A person tried to manage another person's substitutes.",
        explanation: """
            A person may name, list and revoke their own substitutes (`/v1/people/{their id}/substitutes`, \
            the id being the token's `sub`). Doing so for someone else — an HR officer setting up a \
            离职代理 for a leaver, say — needs a token with the `admin` scope. Refused with HTTP 403; \
            nothing is written.
            """,
        example: "$ curl -X POST -H \"Authorization: Bearer $TOKEN_OF_LI_SI\" … /v1/people/wang.wu/substitutes\n",
        fix: "$ curl -X POST -H \"Authorization: Bearer $TOKEN_OF_WANG_WU\" … /v1/people/wang.wu/substitutes\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9014: a substitution's `from`/`until` is neither a date nor an RFC 3339 time.
public struct InvalidSubstitutionRange: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9014", name: "invalid-substitution-range", summary: "A substitution's `from` or `until` is not a date or an RFC 3339 time.",
        explanation: """
            `from` and `until` are each a date (`2025-10-01`: whole days in China Standard Time, \
            the `until` day included) or an RFC 3339 time with its offset \
            (`2025-10-01T09:00:00+08:00`: `until` excluded). Anything else — `2025-02-30`, \
            `next monday`, a time without an offset — is refused (HTTP 400, exit 2) and nothing is written.
            """,
        example: "$ wfc people substitute add wang.wu li.si --from 2025-10-01 --until \"next week\"\n",
        fix: "$ wfc people substitute add wang.wu li.si --from 2025-10-01 --until 2025-10-07\n")
    public var message: String
    public init(message: String) { self.message = message }
}
