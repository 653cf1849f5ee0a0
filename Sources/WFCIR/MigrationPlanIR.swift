import Crypto
import Foundation

/// A compiled migration plan: how cases of one definition continue on another. Pure data,
/// produced by `wfc check` / the service from a `*.migrate.yaml` file and applied by the
/// runtime (`Migration.apply`), which never reads YAML. Its canonical JSON is recorded in the
/// case's audit log, so that replay applies exactly the same plan.
public struct MigrationPlanIR: Codable, Sendable, Equatable {
    /// What happens to the deadline and wait timers of the states a case is in.
    public enum Deadlines: String, Codable, Sendable, CaseIterable {
        /// The due time stays; the escalation and overdue target are the new version's.
        case keep
        /// Computed again by the new version's rule, from the time the state was entered.
        case recompute
    }

    /// What happens to the signatures an open sign-off has collected.
    public enum Signatures: String, Codable, Sendable, CaseIterable {
        /// Signatures of roles that are still parties of the new sign-off count.
        case keep
        /// The sign-off starts again with no signatures.
        case reset
    }

    /// A value a migration writes into the new version's data.
    public struct Value: Codable, Sendable, Equatable {
        /// The new version's field.
        public var field: String
        /// CEL over the old version's data (`case.<old field>`, `now`, `today`).
        public var expr: ExprIR

        public init(field: String, expr: ExprIR) {
            self.field = field
            self.expr = expr
        }
    }

    public var format = "wfc-migration"
    /// Content hash of the definition cases are migrated from.
    public var from: String
    /// Content hash of the definition they are migrated to.
    public var to: String
    /// Every state of the old version → the new version's state a case in it continues in
    /// (names unchanged map to themselves; the compiler writes them all out).
    public var states: [String: String]
    /// Values for new or changed fields, in the plan file's order.
    public var values: [Value]
    /// New roles → the person bound to them in every migrated case.
    public var people: [String: String]
    public var deadlines: Deadlines
    public var signatures: Signatures
    /// The plan file, for messages.
    public var file: String?

    public init(from: String, to: String, states: [String: String], values: [Value], people: [String: String] = [:],
                deadlines: Deadlines, signatures: Signatures, file: String? = nil) {
        self.from = from
        self.to = to
        self.states = states
        self.values = values
        self.people = people
        self.deadlines = deadlines
        self.signatures = signatures
        self.file = file
    }

    /// Deterministic JSON: sorted keys, no insignificant whitespace.
    public func canonicalJSON() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    /// `sha256:` and the hex digest of ``canonicalJSON()``: the plan's identity in the audit log.
    public func hash() throws -> String {
        "sha256:" + SHA256.hash(data: try canonicalJSON()).map { String(format: "%02x", $0) }.joined()
    }
}
