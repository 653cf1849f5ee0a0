import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WFCLedger
import WFCServer
import WFCService

/// Sessions live in the store: several servers on one store share them.
@Suite struct WebSessionTests {
    /// Sign in on one server, act on another, sign out there: the session is gone on both.
    @Test func serversOnOneStoreShareSessions() async throws {
        let h = try await WebHarness()
        let second = try await h.anotherServer()
        try await h.app.test(.router) { one in
            try await second.application().test(.router) { two in
                var b = Browser()
                _ = try await b.signIn(one, token: try await h.token("zhang.san"))
                let tasks = try await b.get(two, "/web/tasks")
                #expect(tasks.status == .ok && tasks.text.contains("id=\"signed-in-person\">zhang.san<"), "the other server knows the session")
                // A form of the second server's page, posted to the first: the same CSRF token.
                let page = try await b.get(two, "/web/cases/H1")
                #expect(page.status == .ok)
                let sent = try await b.post(one, "/web/cases/H1/events", [("state", "apply"), ("f.reason", "resignation"), ("f.last_day", "2025-10-31"),
                                                                                 ("f.application", "因个人原因申请离职"), ("event", "submit")])
                #expect(sent.status == .seeOther, "\(sent.status) \(sent.text.prefix(300))")
                #expect(try await h.service.history(caseID: "H1", by: Principal(person: "zhang.san")).events.count == 2)
                // Signing out on the second ends the session on the first.
                let old = b.cookie
                _ = try await b.post(two, "/web/sign-out", [])
                var stale = Browser(cookie: old)
                #expect(try await stale.get(one, "/web/tasks").headers[.location] == "/web/sign-in")
                #expect(try await stale.get(two, "/web/tasks").headers[.location] == "/web/sign-in")
            }
        }
    }

    /// The store keeps the id's SHA-256, never the id, and no token; a session signed in with
    /// a token ends when the token does.
    @Test func theStoreHoldsNoCredentialAndTheTokenCapsTheSession() async throws {
        let h = try await WebHarness()
        try await h.app.test(.router) { client in
            var b = Browser()
            let token = try await TokenIssuer.issue(person: "li.si", scopes: [], ttl: 120, secret: h.secret)
            _ = try await b.signIn(client, token: token)
            let id = String(try #require(b.cookie?.split(separator: "=", maxSplits: 1).last))
            #expect(id.count == 64)
            let kept = try #require(try await h.service.store.ledger.session(idHash: HashChain.sha256(Array(id.utf8)), now: Date()))
            #expect(kept.person == "li.si" && kept.method == "token")
            let expires = try #require(ISO8601DateFormatter().date(from: kept.expires))
            #expect(expires <= Date().addingTimeInterval(121) && expires > Date().addingTimeInterval(60), "capped by the token: \(kept.expires)")
            // Neither the id nor the token is anywhere in the store's files.
            let folder = URL(fileURLWithPath: h.path).deletingLastPathComponent()
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("store.sqlite") {
                let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
                #expect(bytes.range(of: Data(id.utf8)) == nil, "\(name) holds the session id")
                #expect(bytes.range(of: Data(token.utf8)) == nil, "\(name) holds the token")
            }
            // A cookie that is not one of ours is not looked up, and signs nobody in.
            var forged = Browser(cookie: "wfc_session=' OR 1=1 --")
            #expect(try await forged.get(client, "/web/tasks").headers[.location] == "/web/sign-in")
        }
    }

    /// A development sign-in is honoured only by servers that allow them.
    @Test func aDevelopmentSessionCountsOnlyWhereDevelopmentSignInIsOn() async throws {
        let h = try await WebHarness(devSignIn: true)
        let production = try await h.anotherServer(devSignIn: false)
        try await h.app.test(.router) { dev in
            try await production.application().test(.router) { prod in
                var b = Browser()
                _ = try await b.get(dev, "/web/sign-in")
                #expect(try await b.post(dev, "/web/dev-sign-in", [("person", "zhang.san")]).headers[.location] == "/web/tasks")
                #expect(try await b.get(dev, "/web/tasks").status == .ok)
                #expect(try await b.get(prod, "/web/tasks").headers[.location] == "/web/sign-in", "not on a server without --dev-sign-in")
                // A token session is honoured by both.
                var t = Browser()
                _ = try await t.signIn(dev, token: try await h.token("li.si"))
                #expect(try await t.get(prod, "/web/tasks").status == .ok)
            }
        }
    }
}
