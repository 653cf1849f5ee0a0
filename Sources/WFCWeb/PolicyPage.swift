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
        // `wfc doc`'s rules as tables; the diagram as on a case page.
        var context: [String: Any] = ["title": def.ir.title, "workflow": def.ir.id, "version": newest.version, "source": def.ir.source ?? ""]
        context.merge(Self.ruleContext(def.ir)) { _, new in new }
        if let svg = await diagram.svg(def.ir, hash: def.hash, active: []) { context["svg"] = svg } else {
            context["stateList"] = def.ir.states.filter { $0.kind != .choice }.map { ["title": $0.title ?? $0.name, "active": false] }
        }
        return page("policy", title: def.ir.title, v, context)
    }

    /// `wfc doc`'s rule groups for the `rules` partial: each rule split into text and the
    /// `code` spans its Markdown marks with backticks (every part escaped by the template).
    static func ruleContext(_ ir: WorkflowIR) -> [String: Any] {
        let table = PolicyDoc.rules(ir)
        func parts(_ rule: String) -> [[String: Any]] {
            rule.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { i, piece in
                piece.isEmpty ? nil : ["text": String(piece), "code": i % 2 == 1]
            }
        }
        func rows(_ groups: [(String, [String])]) -> [[String: Any]] {
            groups.map { ["key": $0.0, "rules": $0.1.map { ["parts": parts($0)] }] }
        }
        // Each table is a section rendered once when it has rows.
        var context: [String: Any] = [:]
        if !table.byClause.isEmpty { context["clauseTable"] = ["rows": rows(table.byClause.map { ($0.clause, $0.rules) })] }
        if !table.assumed.isEmpty { context["assumedTable"] = ["rows": rows(table.assumed.map { ($0.reason, $0.rules) })] }
        if !table.untraced.isEmpty { context["untracedList"] = ["rules": table.untraced.map { ["parts": parts($0)] }] }
        if !table.omitted.isEmpty { context["omittedTable"] = ["rows": table.omitted.map { ["clause": $0.clause, "reason": $0.reason] }] }
        return context
    }

    static func policyURL(_ workflow: String) -> String {
        "/web/policies/" + (workflow.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? workflow)
    }
}
