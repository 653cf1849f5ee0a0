import Foundation
import WFCIR

/// Where a case stands.
public enum CaseStatus: String, Codable, Sendable {
    case running, completed, rejected, cancelled, withdrawn
}

/// The whole state of one case: everything the engine needs to take the next step. Value
/// type, Codable, and encoded deterministically by ``CaseSnapshot/json()``.
public struct CaseSnapshot: Codable, Equatable, Sendable {
    /// The fields most steps leave alone, shared until one is changed (copy on write): every
    /// step copies a snapshot in and out, and copying them was one retain per string, array and
    /// dictionary. What every step changes or walks (`version`, `status`, times, `root`) stays
    /// inline: a tree read out of a class is copied to be passed on.
    final class Storage: @unchecked Sendable {
        // Private to the snapshot, whose accesses the compiler checks statically, and copied
        // before a change when shared: the dynamic checks would only repeat that.
        @exclusivity(unchecked) var caseID: String
        @exclusivity(unchecked) var workflowID: String
        @exclusivity(unchecked) var definitionHash: String
        @exclusivity(unchecked) var data: [String: ValueIR]
        @exclusivity(unchecked) var people: [String: String]
        @exclusivity(unchecked) var violations: [ViolationRecord]
        @exclusivity(unchecked) var escalations: [EscalationRecord]
        @exclusivity(unchecked) var processedKeys: [String]
        @exclusivity(unchecked) var reminders: [ReminderRecord] = []
        @exclusivity(unchecked) var copies: [CopyRecord] = []

        init(caseID: String, workflowID: String, definitionHash: String, data: [String: ValueIR], people: [String: String], violations: [ViolationRecord], escalations: [EscalationRecord], processedKeys: [String]) {
            self.caseID = caseID
            self.workflowID = workflowID
            self.definitionHash = definitionHash
            self.data = data
            self.people = people
            self.violations = violations
            self.escalations = escalations
            self.processedKeys = processedKeys
        }

        func copy() -> Storage {
            let s = Storage(caseID: caseID, workflowID: workflowID, definitionHash: definitionHash, data: data, people: people, violations: violations, escalations: escalations, processedKeys: processedKeys)
            s.reminders = reminders
            s.copies = copies
            return s
        }
    }

    private var storage: Storage
    /// Increments with every accepted event and every tick that fired a timer.
    public var version: Int
    public var status: CaseStatus
    /// The active configuration: the top-level region (region 0) and, nested inside composite
    /// states, their branch and item instances.
    public var root: RegionInstance
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    init(caseID: String, workflowID: String, definitionHash: String, version: Int, data: [String: ValueIR], people: [String: String], status: CaseStatus, root: RegionInstance, violations: [ViolationRecord], escalations: [EscalationRecord], processedKeys: [String], createdAt: Timestamp, updatedAt: Timestamp) {
        storage = Storage(caseID: caseID, workflowID: workflowID, definitionHash: definitionHash, data: data, people: people, violations: violations, escalations: escalations, processedKeys: processedKeys)
        self.version = version
        self.status = status
        self.root = root
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Makes `storage` this snapshot's own before a change.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    // Boxed fields are read in place (`_read`) and changed in place (`_modify`).
    public var caseID: String {
        _read { yield storage.caseID }
        _modify { yield &unique().caseID }
    }
    public var workflowID: String {
        _read { yield storage.workflowID }
        _modify { yield &unique().workflowID }
    }
    /// The content hash of the definition the case was started with; later steps must use the
    /// same definition.
    public var definitionHash: String {
        _read { yield storage.definitionHash }
        _modify { yield &unique().definitionHash }
    }
    /// Case fields by name (absent optional fields are left out).
    public var data: [String: ValueIR] {
        _read { yield storage.data }
        _modify { yield &unique().data }
    }
    /// Role name → person id.
    public var people: [String: String] {
        _read { yield storage.people }
        _modify { yield &unique().people }
    }
    public var violations: [ViolationRecord] {
        _read { yield storage.violations }
        _modify { yield &unique().violations }
    }
    public var escalations: [EscalationRecord] {
        _read { yield storage.escalations }
        _modify { yield &unique().escalations }
    }
    /// Idempotency keys of accepted events.
    public var processedKeys: [String] {
        _read { yield storage.processedKeys }
        _modify { yield &unique().processedKeys }
    }
    /// Reminders (催办) sent, oldest first; empty (and not written) for most cases.
    public var reminders: [ReminderRecord] {
        _read { yield storage.reminders }
        _modify { yield &unique().reminders }
    }
    /// Copies (抄送) sent, oldest first; empty (and not written) for most cases.
    public var copies: [CopyRecord] {
        _read { yield storage.copies }
        _modify { yield &unique().copies }
    }

    public static func == (a: CaseSnapshot, b: CaseSnapshot) -> Bool {
        guard a.version == b.version && a.status == b.status && a.root == b.root && a.createdAt == b.createdAt && a.updatedAt == b.updatedAt else { return false }
        if a.storage === b.storage { return true }
        let x = a.storage, y = b.storage
        return x.caseID == y.caseID && x.workflowID == y.workflowID && x.definitionHash == y.definitionHash && x.data == y.data
            && x.people == y.people && x.violations == y.violations && x.escalations == y.escalations && x.processedKeys == y.processedKeys
            && x.reminders == y.reminders && x.copies == y.copies
    }

    // The keys and encoding of the synthesized conformance (snapshot JSON must not change).
    enum CodingKeys: String, CodingKey {
        case caseID, workflowID, definitionHash, version, data, people, status, root, violations, escalations, processedKeys, createdAt, updatedAt
        case reminders, copies
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(caseID: try c.decode(String.self, forKey: .caseID),
                  workflowID: try c.decode(String.self, forKey: .workflowID),
                  definitionHash: try c.decode(String.self, forKey: .definitionHash),
                  version: try c.decode(Int.self, forKey: .version),
                  data: try c.decode([String: ValueIR].self, forKey: .data),
                  people: try c.decode([String: String].self, forKey: .people),
                  status: try c.decode(CaseStatus.self, forKey: .status),
                  root: try c.decode(RegionInstance.self, forKey: .root),
                  violations: try c.decode([ViolationRecord].self, forKey: .violations),
                  escalations: try c.decode([EscalationRecord].self, forKey: .escalations),
                  processedKeys: try c.decode([String].self, forKey: .processedKeys),
                  createdAt: try c.decode(Timestamp.self, forKey: .createdAt),
                  updatedAt: try c.decode(Timestamp.self, forKey: .updatedAt))
        // Absent in snapshots without reminders or copies (and in those written before them).
        if let r = try c.decodeIfPresent([ReminderRecord].self, forKey: .reminders) { reminders = r }
        if let cc = try c.decodeIfPresent([CopyRecord].self, forKey: .copies) { copies = cc }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(caseID, forKey: .caseID)
        try c.encode(workflowID, forKey: .workflowID)
        try c.encode(definitionHash, forKey: .definitionHash)
        try c.encode(version, forKey: .version)
        try c.encode(data, forKey: .data)
        try c.encode(people, forKey: .people)
        try c.encode(status, forKey: .status)
        try c.encode(root, forKey: .root)
        try c.encode(violations, forKey: .violations)
        try c.encode(escalations, forKey: .escalations)
        try c.encode(processedKeys, forKey: .processedKeys)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        if !reminders.isEmpty { try c.encode(reminders, forKey: .reminders) }
        if !copies.isEmpty { try c.encode(copies, forKey: .copies) }
    }

    /// Deterministic JSON: sorted keys, no insignificant whitespace unless `pretty`. The
    /// compact form is ``canonicalJSON()``'s bytes.
    public func json(pretty: Bool = false) throws -> Data {
        guard pretty else { return Data(try canonicalJSON()) }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    /// The compact JSON of ``json(pretty:)``, written by hand: byte for byte what `JSONEncoder`
    /// writes with `[.sortedKeys, .withoutEscapingSlashes]` (snapshot hashes are of these
    /// bytes), in a fraction of its time. Throws only for a non-finite number in the data.
    public func canonicalJSON() throws -> [UInt8] {
        var w = JSONWriter(capacity: 2048)
        w.raw("{")
        w.key("caseID", first: true); w.string(caseID)
        if !copies.isEmpty { w.key("copies"); w.list(copies) { w, c in c.write(&w) } }
        w.key("createdAt"); w.string(createdAt.description)
        w.key("data"); try w.object(data) { w, v in try w.value(v) }
        w.key("definitionHash"); w.string(definitionHash)
        w.key("escalations"); w.list(escalations) { w, e in e.write(&w) }
        w.key("people"); w.object(people) { w, p in w.string(p) }
        w.key("processedKeys"); w.strings(processedKeys)
        if !reminders.isEmpty { w.key("reminders"); w.list(reminders) { w, r in r.write(&w) } }
        w.key("root"); try root.write(&w)
        w.key("status"); w.string(status.rawValue)
        w.key("updatedAt"); w.string(updatedAt.description)
        w.key("version"); w.int(version)
        w.key("violations"); w.list(violations) { w, v in v.write(&w) }
        w.key("workflowID"); w.string(workflowID)
        w.raw("}")
        return w.bytes
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
    /// Roles of this task handed to another person (转交): role → person; nil when none.
    public var holders: [String: String]? = nil
    /// A state with `remind:`: how many reminders were sent and when the next is due.
    public var reminder: ReminderProgress? = nil
}

/// Progress of an active sign-off.
public struct SignoffProgress: Codable, Equatable, Sendable {
    /// Roles that must all sign: `all` plus the conditional parties whose condition held at entry.
    public var required: [String]
    /// For `n of [...]`: how many of `of` must sign.
    public var quorum: Int?
    public var of: [String]
    public var signatures: [Signature]
    /// 依次 (`in_order`): the parties of `required` sign in order. Nil when unordered.
    public var inOrder: Bool? = nil
    /// The signing order in slots: a slot's parties sign once every earlier slot is done. Nil
    /// for one slot of every party (an unordered sign-off no one has added a signer to).
    public var steps: [[String]]? = nil
    /// 加签: the signers added to this sign-off (their parties are in `required`).
    public var added: [AddedSigner]? = nil
}

/// A signer added to an active sign-off (加签): who, where, by whom and why.
public struct AddedSigner: Codable, Equatable, Sendable {
    /// The party id the added person signs as (`added:PERSON`).
    public var party: String
    public var person: String
    /// `before`, `after` or `parallel`: relative to the parties whose turn it was.
    public var position: String
    /// The person who added them, and the role they did it in.
    public var by: String
    public var byRole: String
    public var reason: String
    public var at: Timestamp
}

/// One signature.
public struct Signature: Codable, Equatable, Sendable {
    public var role: String
    /// The person bound to the role (for a substitute's signature, the person stood in for).
    public var person: String
    public var at: Timestamp
    /// The substitute who signed for `person`; nil (omitted) when `person` signed in person.
    public var by: String? = nil
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

/// A recorded escalation of an overdue deadline, or of a used-up round limit.
public struct EscalationRecord: Codable, Equatable, Sendable {
    public var at: Timestamp
    public var state: String
    public var roles: [String]
    public var people: [String]
    /// The missed deadline; for a round limit, when the limit was reached.
    public var due: Timestamp
    public var span: SpanIR
    /// Why, when it is not an overdue deadline: "round limit of `review` reached (3)".
    public var reason: String? = nil
}

// The snapshot's parts in their synthesized coding, keys in the encoder's (UTF-8) order,
// absent optionals left out.
extension RegionInstance {
    func write(_ w: inout JSONWriter) throws {
        w.raw("{")
        var first = true
        if let active { w.key("active", first: true); try active.write(&w); first = false }
        if let item { w.key("item", first: first); w.int(item); first = false }
        if let itemValue { w.key("itemValue", first: first); try w.value(itemValue); first = false }
        w.key("region", first: first); w.int(region)
        w.key("rounds"); w.object(rounds) { w, n in w.int(n) }
        w.raw("}")
    }
}

extension ActiveState {
    func write(_ w: inout JSONWriter) throws {
        w.raw("{")
        w.key("children", first: true); try w.list(children) { w, c in try c.write(&w) }
        w.key("enteredAt"); w.string(enteredAt.description)
        if let holders { w.key("holders"); w.object(holders) { w, p in w.string(p) } }
        w.key("name"); w.string(name)
        if let reminder { w.key("reminder"); reminder.write(&w) }
        if let signoff { w.key("signoff"); signoff.write(&w) }
        w.key("state"); w.int(state)
        if let timer { w.key("timer"); timer.write(&w) }
        w.raw("}")
    }
}

extension SignoffProgress {
    func write(_ w: inout JSONWriter) {
        w.raw("{")
        if let added {
            w.key("added", first: true); w.list(added) { w, a in
                w.raw("{")
                w.key("at", first: true); w.string(a.at.description)
                w.key("by"); w.string(a.by)
                w.key("byRole"); w.string(a.byRole)
                w.key("party"); w.string(a.party)
                w.key("person"); w.string(a.person)
                w.key("position"); w.string(a.position)
                w.key("reason"); w.string(a.reason)
                w.raw("}")
            }
        }
        if let inOrder { w.key("inOrder", first: added == nil); w.bool(inOrder) }
        w.key("of", first: added == nil && inOrder == nil); w.strings(of)
        if let quorum { w.key("quorum"); w.int(quorum) }
        w.key("required"); w.strings(required)
        w.key("signatures"); w.list(signatures) { w, s in
            w.raw("{")
            w.key("at", first: true); w.string(s.at.description)
            if let by = s.by { w.key("by"); w.string(by) }
            w.key("person"); w.string(s.person)
            w.key("role"); w.string(s.role)
            w.raw("}")
        }
        if let steps { w.key("steps"); w.list(steps) { w, slot in w.strings(slot) } }
        w.raw("}")
    }
}

extension TimerRecord {
    func write(_ w: inout JSONWriter) {
        w.raw("{")
        w.key("due", first: true); w.string(due.description)
        w.key("escalate"); w.strings(escalate)
        w.key("fired"); w.bool(fired)
        w.key("kind"); w.string(kind.rawValue)
        w.key("span"); w.span(span)
        if let target { w.key("target"); w.string(target) }
        if let violation { w.key("violation"); w.string(violation) }
        w.raw("}")
    }
}

extension ViolationRecord {
    func write(_ w: inout JSONWriter) {
        w.raw("{")
        w.key("at", first: true); w.string(at.description)
        if let clause { w.key("clause"); w.string(clause) }
        w.key("message"); w.string(message)
        w.key("span"); w.span(span)
        w.key("state"); w.string(state)
        w.raw("}")
    }
}

extension EscalationRecord {
    func write(_ w: inout JSONWriter) {
        w.raw("{")
        w.key("at", first: true); w.string(at.description)
        w.key("due"); w.string(due.description)
        w.key("people"); w.strings(people)
        if let reason { w.key("reason"); w.string(reason) }
        w.key("roles"); w.strings(roles)
        w.key("span"); w.span(span)
        w.key("state"); w.string(state)
        w.raw("}")
    }
}
