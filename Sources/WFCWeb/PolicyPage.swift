import Foundation
import Hummingbird
import WFCCompiler
import WFCService

/// `GET /web/policies/{workflow}`: the newest deployed version of a policy as `wfc doc`
/// describes it (its rules by clause, assumptions, omitted clauses), with its flow drawn.
extension WebInbox {
    func policyPage(_ workflow: String, _ v: Visit, _ who: Principal) async throws -> Response {
        guard let newest = try await service.definitions(workflow: workflow, by: who).first else {
            throw ServiceError(.notFound, UnknownRoute(message: "no policy `\(workflow)` is deployed"), help: "`GET /v1/definitions` lists what is deployed")
        }
        let def = try await service.definition(hash: newest.hash, by: who)
        // `wfc doc`'s text, shown as written (Markdown); the diagram as on a case page.
        var context: [String: Any] = ["title": def.ir.title, "workflow": def.ir.id, "version": newest.version, "source": def.ir.source ?? "",
                                      "doc": PolicyDoc.markdown([(path: "\(def.ir.id).yaml", ir: def.ir)])]
        if let svg = await diagram.svg(def.ir, hash: def.hash, active: []) { context["svg"] = svg } else {
            context["stateList"] = def.ir.states.filter { $0.kind != .choice }.map { ["title": $0.title ?? $0.name, "active": false] }
        }
        return page("policy", title: def.ir.title, v, context)
    }

    static func policyURL(_ workflow: String) -> String {
        "/web/policies/" + (workflow.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? workflow)
    }
}
