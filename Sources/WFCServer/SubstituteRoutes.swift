import Foundation
import Hummingbird
import WFCService
import WFCStore

/// `GET /v1/people/{id}/substitutes`: a person's substitutions.
public struct SubstituteList: Codable, Sendable {
    public var person: String
    public var substitutes: [Substitution]
}

extension WFCHTTPServer {
    /// Substitutes (代理): `POST`/`GET /v1/people/{id}/substitutes`, `DELETE
    /// /v1/people/{id}/substitutes/{sub}`. A person manages their own (the token's `sub`);
    /// another person's needs `admin` (WFC9013).
    func substituteRoutes(_ router: Router<BasicRequestContext>) {
        router.post("/v1/people/{id}/substitutes") { request, context in
            try await authorized(request, context) { who in
                let r: SubstituteRequest = try await decode(request, fields: SubstituteRequest.fields)
                let s = try await service.addSubstitute(person: try Self.person(context), r, by: who)
                return JSONBody.response(s, status: .created)
            }
        }
        router.get("/v1/people/{id}/substitutes") { request, context in
            try await authorized(request, context) { who in
                let p = try Self.person(context)
                let q = request.uri.queryParameters
                let list = try await service.substitutes(person: p, asSubstitute: q["named"] == "true", includeRevoked: q["all"] == "true", by: who)
                return JSONBody.response(SubstituteList(person: p, substitutes: list))
            }
        }
        router.delete("/v1/people/{id}/substitutes/{sub}") { request, context in
            try await authorized(request, context) { who in
                let id = context.parameters.get("sub").map { $0.removingPercentEncoding ?? $0 } ?? ""
                return JSONBody.response(try await service.revokeSubstitute(person: try Self.person(context), id: id, by: who))
            }
        }
    }

    static func person(_ context: BasicRequestContext) throws(ServiceError) -> String {
        guard let p = context.parameters.get("id").map({ $0.removingPercentEncoding ?? $0 }), !p.isEmpty else {
            throw ServiceError(.badRequest, MalformedRequest(message: "no person id in the path"))
        }
        return p
    }
}
