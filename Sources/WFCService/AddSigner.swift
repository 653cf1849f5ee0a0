import WFCIR
import WFCRuntime

/// `POST /v1/cases/{id}/signers`: add a signer to an active sign-off (加签). The person adding
/// is the token's subject, never a field.
public struct AddSignerRequest: Codable, Equatable, Sendable {
    /// The person to add.
    public var person: String
    /// `before`, `after` or `parallel`: relative to the parties whose turn it is.
    public var position: String
    /// Why (kept in the audit log).
    public var reason: String
    /// The role to act as, when the sender holds several that may add signers.
    public var role: String?
    /// The foreach item.
    public var item: Int?

    public init(person: String, position: String, reason: String, role: String? = nil, item: Int? = nil) {
        self.person = person
        self.position = position
        self.reason = reason
        self.role = role
        self.item = item
    }

    /// The fields a request may have.
    public static let fields: Set<String> = ["person", "position", "reason", "role", "item"]
}

extension WorkflowService {
    /// Adds a signer as `actor`: the `add_signer` event with the request as its data, so that it
    /// is authorized by the policy, recorded (refused or not) and replayed by verify like any event.
    public func addSigner(caseID: String, _ request: AddSignerRequest, actor: Principal, idempotencyKey: String? = nil) async throws(ServiceError) -> FireResult {
        let data: [String: ValueIR] = ["person": .string(request.person), "position": .string(request.position), "reason": .string(request.reason)]
        return try await fire(caseID: caseID, FireRequest(event: Event.addSigner, role: request.role, item: request.item, data: data), actor: actor, idempotencyKey: idempotencyKey)
    }
}
