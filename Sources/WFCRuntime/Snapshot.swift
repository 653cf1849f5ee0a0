import Foundation
import WFCIR

/// Where a case stands.
public enum CaseStatus: String, Codable, Sendable {
    case running, completed, rejected, cancelled, withdrawn
}

/// The whole state of one case: everything the engine needs to take the next step. Value
/// type, Codable, and encoded deterministically by ``CaseSnapshot/json()``.
public struct CaseSnapshot: Codable, Equatable, Sendable {
    public var caseID: String
    public var workflowID: String
    /// The content hash of the definition the case was started with; later steps must use the
    /// same definition.
    public var definitionHash: String
    /// Increments with every accepted event and every tick that fired a timer.
    public var version: Int
    /// Case fields by name (absent optional fields are left out).
    public var data: [String: ValueIR]
    /// Role name → person id.
    public var people: [String: String]
    public var status: CaseStatus
    /// The active configuration: the top-level region (region 0) and, nested inside composite
    /// states, their branch and item instances.
    public var root: RegionInstance
    public var violations: [ViolationRecord]
    public var escalations: [EscalationRecord]
    /// Idempotency keys of accepted events.
    public var processedKeys: [String]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    /// Deterministic JSON: sorted keys, no insignificant whitespace unless `pretty`.
    public func json(pretty: Bool = false) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    /// Decodes a snapshot written by ``json(pretty:)``.
    public static func load(_ data: Data) throws -> CaseSnapshot {
        try JSONDecoder().decode(CaseSnapshot.self, from: data)
    }
}

/// One running instance of a region: the top level, a parallel branch, or one foreach item.
public struct RegionInstance: Codable, Equatable, Sendable {
    public var region: Int
    /// The foreach item index, for foreach bodies.
    public var item: Int?
    /// The foreach item's value, frozen when the foreach state was entered.
    public var itemValue: ValueIR?
    /// The current state; nil once the instance has reached `join`.
    public var active: ActiveState?
    /// How many times each state (by name) has been entered in this instance (`max_rounds`).
    public var rounds: [String: Int]

    public var finished: Bool { active == nil }
}

/// A state that is currently active, with what it accumulates while active.
public struct ActiveState: Codable, Equatable, Sendable {
    public var state: Int
    public var name: String
    public var enteredAt: Timestamp
    /// Sign-off states: who must sign and who has signed.
    public var signoff: SignoffProgress?
    /// The deadline or wait timer set at entry.
    public var timer: TimerRecord?
    /// Parallel and foreach states: their branch or item instances.
    public var children: [RegionInstance]
}

/// Progress of an active sign-off.
public struct SignoffProgress: Codable, Equatable, Sendable {
    /// Roles that must all sign: `all` plus the conditional parties whose condition held at entry.
    public var required: [String]
    /// For `n of [...]`: how many of `of` must sign.
    public var quorum: Int?
    public var of: [String]
    public var signatures: [Signature]
}

/// One signature.
public struct Signature: Codable, Equatable, Sendable {
    public var role: String
    public var person: String
    public var at: Timestamp
}

/// A timer set when a state was entered, stored as an absolute time.
public struct TimerRecord: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// A `due` deadline.
        case deadline
        /// A `wait` state's end.
        case wait
    }
    public var kind: Kind
    public var due: Timestamp
    /// Roles to notify when overdue.
    public var escalate: [String]
    /// The state to move to when overdue.
    public var target: String?
    public var violation: String?
    /// True once an overdue deadline without a target has been handled.
    public var fired: Bool
    public var span: SpanIR
}

/// A recorded policy violation.
public struct ViolationRecord: Codable, Equatable, Sendable {
    public var at: Timestamp
    public var state: String
    public var message: String
    public var clause: String?
    public var span: SpanIR
}

/// A recorded escalation of an overdue deadline.
public struct EscalationRecord: Codable, Equatable, Sendable {
    public var at: Timestamp
    public var state: String
    public var roles: [String]
    public var people: [String]
    public var due: Timestamp
    public var span: SpanIR
}
