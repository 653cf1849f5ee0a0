// `serve-bench WFC --web`: the web inbox's pages against the JSON API answering the same
// question, on the same server in the same run. A person with an open task in each of CASES
// company-handover cases signs in through the sign-in form (a session in the store); CLIENTS
// concurrent clients then read 我的待办 (`GET /web/tasks`) and a case page (`GET /web/cases/W0`)
// with the session cookie, and the same lists through `GET /v1/tasks` and `GET /v1/cases/W0`
// with the bearer token, interleaved.
import AsyncHTTPClient
import Foundation
import NIOCore

/// The status, the body and the first `Set-Cookie` value (`name=value`) of a request.
func fetch(_ client: HTTPClient, _ url: String, post: Bool = false, headers: [(String, String)] = [], form: String? = nil) async throws -> (Int, String, String?) {
    var req = HTTPClientRequest(url: url)
    if post { req.method = .POST }
    for (k, v) in headers { req.headers.add(name: k, value: v) }
    if let form {
        req.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        req.body = .bytes(ByteBuffer(string: form))
    }
    let res = try await client.execute(req, timeout: .seconds(30))
    let body = try await res.body.collect(upTo: 8 << 20)
    let cookie = res.headers["set-cookie"].first.flatMap { $0.split(separator: ";").first.map(String.init) }
    return (Int(res.status.code), String(buffer: body), cookie)
}

/// Signs `token` in through the sign-in form; the session cookie.
func webSignIn(_ client: HTTPClient, _ base: String, token: String) async throws -> String {
    let (status, page, anonymous) = try await fetch(client, base + "/web/sign-in")
    guard status == 200, let anonymous, let r = page.range(of: "name=\"_csrf\" value=\"") else { throw Failure(description: "sign-in page: HTTP \(status)") }
    let csrf = String(page[r.upperBound...].prefix { $0 != "\"" })
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
    let form = "token=\(token.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")&_csrf=\(csrf)"
    let (signed, _, cookie) = try await fetch(client, base + "/web/sign-in", post: true, headers: [("cookie", anonymous)], form: form)
    guard signed == 303, let cookie else { throw Failure(description: "sign-in: HTTP \(signed)") }
    return cookie
}

struct PageFigures {
    var rate: Double
    var p50: Double
    var p99: Double
}

/// `clients` clients each reading `url` `requests` times; requests/s and latency in ms.
func readMany(_ client: HTTPClient, _ url: String, headers: [(String, String)], clients: Int, requests: Int, expect: String) async throws -> PageFigures {
    let clock = ContinuousClock()
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for _ in 0..<clients {
            group.addTask {
                var mine: [Double] = []
                for _ in 0..<requests {
                    let t0 = clock.now
                    let (status, body, _) = try await fetch(client, url, headers: headers)
                    guard status == 200, body.contains(expect) else { throw Failure(description: "\(url): HTTP \(status)") }
                    mine.append(seconds(clock.now - t0) * 1000)
                }
                return mine
            }
        }
        var all: [Double] = []
        for try await l in group { all += l }
        return all
    }
    return PageFigures(rate: Double(clients * requests) / seconds(clock.now - start), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99))
}

func webBench(wfc: String, workflow: String, cases: Int, clients: Int, requests: Int, rounds: Int) async throws {
    print("serve-bench --web: \(cases) open tasks of one person, \(clients) clients × \(requests) requests a page × \(rounds) rounds (loopback)")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("serve-bench-web-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let server = try Server(wfc: wfc, dir: dir)
    defer { server.stop() }
    let admin = try output(wfc, ["token", "issue", "--store", server.store, "--sub", "hr", "--scope", "admin"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let zhang = try output(wfc, ["token", "issue", "--store", server.store, "--sub", "zhang.san"]).trimmingCharacters(in: .whitespacesAndNewlines)
    var config = HTTPClient.Configuration()
    config.redirectConfiguration = .disallow
    config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    do {
        let yaml = try String(contentsOfFile: workflow, encoding: .utf8)
        guard try await post(client, server.url + "/v1/definitions?file=company-handover.yaml", token: admin, yaml: yaml) == 201 else { throw Failure(description: "deploy failed") }
        for c in 0..<cases {
            let status = try await post(client, server.url + "/v1/cases", token: admin, json: """
                {"definition": "company-handover", "id": "W\(c)", "people": {"handover": "zhang.san", "receiver": "li.si", "manager": "wang.wu", "hr": "zhao.liu"},
                 "data": {"reason": "resignation", "last_day": "2027-01-29"}}
                """)
            guard status == 201 else { throw Failure(description: "start W\(c): HTTP \(status)") }
        }
        let cookie = try await webSignIn(client, server.url, token: zhang)
        let web = [("cookie", cookie)], api = [("authorization", "Bearer \(zhang)")]
        var rows: [String: [PageFigures]] = [:]
        let pages: [(String, String, [(String, String)], String)] = [
            ("GET /v1/tasks (JSON)", "/v1/tasks", api, "W\(cases - 1)"),
            ("GET /web/tasks (我的待办)", "/web/tasks", web, "/web/cases/W\(cases - 1)"),
            ("GET /v1/cases/W0 (JSON)", "/v1/cases/W0", api, "\"W0\""),
            ("GET /web/cases/W0 (a case)", "/web/cases/W0", web, "id=\"event-submit\""),
        ]
        for r in 0..<rounds {
            var line: [String] = []
            for (name, path, headers, expect) in pages {
                let f = try await readMany(client, server.url + path, headers: headers, clients: clients, requests: requests, expect: expect)
                rows[name, default: []].append(f)
                line.append(String(format: "%@ %.0f/s", name, f.rate))
            }
            print("round \(r + 1): " + line.joined(separator: "; "))
        }
        print("")
        print("what                                 requests/s     p50 ms     p99 ms")
        func med(_ name: String) -> PageFigures {
            let xs = rows[name] ?? []
            return PageFigures(rate: median(xs.map(\.rate)), p50: median(xs.map(\.p50)), p99: median(xs.map(\.p99)))
        }
        for (name, _, _, _) in pages {
            let f = med(name)
            print(name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: " %10.0f %10.1f %10.1f", f.rate, f.p50, f.p99))
        }
        let tasksRatio = med(pages[1].0).rate / med(pages[0].0).rate, caseRatio = med(pages[3].0).rate / med(pages[2].0).rate
        print(String(format: "ratio page / JSON (requests/s, medians of rounds): 我的待办 %.2f, a case %.2f", tasksRatio, caseRatio))
        try await client.shutdown()
    } catch {
        try? await client.shutdown()
        throw error
    }
}
