import Foundation
import WFCIR
import WFCRuntime
import WFCStore

/// Who is asking: the verified person (a token's `sub`) and what their token grants.
public struct Principal: Sendable, Equatable {
    /// The person id the policy binds to roles.
    public var person: String
    public var scopes: Set<String>

    /// Deploy definitions, read and list every case, run `tick`.
    public static let adminScope = "admin"
    /// Start cases.
    public static let startScope = "cases:start"

    public init(person: String, scopes: Set<String> = []) {
        self.person = person
        self.scopes = scopes
    }

    public var isAdmin: Bool { scopes.contains(Self.adminScope) }
}

/// What `deploy` stored.
public struct DeployResult: Codable, Equatable, Sendable {
    public var hash: String
    public var workflow: String
    /// 1, 2, 3… per workflow, in the order first deployed.
    public var version: Int
    public var createdAt: String
    /// False when this exact definition was deployed before (deploy is idempotent).
    public var created: Bool
    /// The compiler's warnings, in JSON form.
    public var warnings: [DiagnosticJSON]
}

/// `POST /v1/cases`: which definition, and the case's people and data.
public struct StartCaseRequest: Codable, Equatable, Sendable {
    /// A content hash, or a workflow id for its newest deployed definition.
    public var definition: String
    /// The case id; generated (`WORKFLOW-xxxxxxxx`) when absent.
    public var id: String?
    public var data: [String: ValueIR]?
    /// Role → person.
    public var people: [String: String]

    public init(definition: String, id: String? = nil, data: [String: ValueIR]? = nil, people: [String: String]) {
        self.definition = definition
        self.id = id
        self.data = data
        self.people = people
    }
}

/// `POST /v1/cases/{id}/events`. The actor is not a field: it is the verified person.
public struct FireRequest: Codable, Equatable, Sendable {
    public var event: String
    /// The role to act as, when the person holds several.
    public var role: String?
    /// The foreach item.
    public var item: Int?
    public var data: [String: ValueIR]?
    /// Role → person for the roles the event's transition assigns (`assign:`).
    public var assign: [String: String]?
    /// Sent as a substitute (代理) for this person: checked against their substitution record
    /// at the event's time (WFC9012), then the policy decides as for that person.
    public var actingFor: String?

    public init(event: String, role: String? = nil, item: Int? = nil, data: [String: ValueIR]? = nil, assign: [String: String]? = nil, actingFor: String? = nil) {
        self.event = event
        self.role = role
        self.item = item
        self.data = data
        self.assign = assign
        self.actingFor = actingFor
    }

    /// The fields a request may have.
    public static let fields: Set<String> = ["event", "role", "item", "data", "assign", "actingFor"]
}

/// A reassignment (转交) of one open task of a role, or of the role for the rest of the case.
/// Who sends it is the verified person, never a request field.
public struct ReassignRequest: Codable, Equatable, Sendable {
    public var role: String
    /// The person who takes over.
    public var person: String
    /// The open task (state name); nil: the role for the rest of the case.
    public var task: String?
    /// The foreach item of the task.
    public var item: Int?
    /// Why, for the audit log.
    public var reason: String

    public init(role: String, person: String, task: String? = nil, item: Int? = nil, reason: String) {
        self.role = role
        self.person = person
        self.task = task
        self.item = item
        self.reason = reason
    }

    /// The fields a request may have.
    public static let fields: Set<String> = ["role", "person", "task", "item", "reason"]
}

/// An accepted event (or the stored outcome of a repeated idempotency key).
public struct FireResult: Codable, Equatable, Sendable {
    /// `accepted`, or `replayed` when the idempotency key was used before for this request.
    public var outcome: String
    public var id: String
    /// The audit event's number and hash.
    public var seq: Int
    public var hash: String
    public var version: Int
    public var status: String
    public var active: [String]
    /// What the step did (`open: …`, `escalated: …`, `finished: …`); empty for a replay.
    public var effects: [String]
    /// For a replay: the audit event that recorded the first request with this key (its
    /// name, actor and time). Not part of the JSON form.
    public var firstEvent: AuditEvent? = nil

    enum CodingKeys: String, CodingKey {
        case outcome, id, seq, hash, version, status, active, effects
    }
}

/// A case's audit log, oldest first.
public struct HistoryResult: Codable, Equatable, Sendable {
    public var id: String
    public var events: [AuditEvent]
}

/// What verifying a case found.
public struct VerifyResult: Codable, Equatable, Sendable {
    public var id: String
    public var ok: Bool
    public var events: Int
    public var firstBadSeq: Int?
    public var firstDivergentSeq: Int?
    public var problems: [String]
    /// Each problem as a WFC70xx diagnostic.
    public var diagnostics: [DiagnosticJSON]
}

/// What `tick` did to one case.
public struct TickResult: Codable, Equatable, Sendable {
    public var id: String
    public var seq: Int?
    public var version: Int?
    public var effects: [String]
    public var error: String?
    /// The WFC code when the case could not be ticked.
    public var code: String?
    /// The store failure behind ``error``, when it was one. Not part of the JSON form.
    public var storeError: StoreError? = nil

    enum CodingKeys: String, CodingKey {
        case id, seq, version, effects, error, code
    }
}

extension TickResult {
    init(_ r: TickOutcome) {
        self.init(id: r.caseID, seq: r.audit?.seq, version: r.step?.snapshot.version, effects: r.step?.effects.map(EffectText.describe) ?? [],
                  error: r.error, code: r.storeError.map { StoreDiagnostics.descriptor($0.kind).code.rawValue })
        storeError = r.storeError
    }
}
