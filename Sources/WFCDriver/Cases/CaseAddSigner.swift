import WFCIR
import WFCRuntime

extension CaseCommands {
    /// `wfc case add-signer ID --as PERSON --person P --position before|after|parallel --reason TEXT`:
    /// 加签, the `add_signer` event with its request as data; refused and recorded like any event.
    public func addSigner(id: String, actor: String, person: String, position: String, reason: String, role: String?, item: Int?, key: String?, now: String?) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            let payload: [String: ValueIR] = ["person": .string(person), "position": .string(position), "reason": .string(reason)]
            return try await send(id: id, event: Event.addSigner, actor: actor, role: role, item: item, payload: payload, key: key, now: now)
        }
    }
}
