import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `wfc serve` as a real process on a free port: tokens from `wfc token issue`, a deploy, a
/// start, an event, and a graceful stop on SIGTERM.
@Suite struct ServeCommandTests {
    func request(_ method: String, _ url: URL, token: String, body: String? = nil, type: String = "application/json") async throws -> (Int, String) {
        var r = URLRequest(url: url)
        r.httpMethod = method
        r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            r.httpBody = Data(body.utf8)
            r.setValue(type, forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// A web-template folder that is none: a start-up error with its code, in the language asked.
    @Test func missingWebTemplatesStopTheStartInTheChosenLanguage() throws {
        let dir = try CLI.tempDir([:])
        let store = dir.appendingPathComponent("store.sqlite").path
        let zh = try CLI.run(["serve", "--store", store, "--listen", "127.0.0.1:0", "--web-dir", dir.path, "--lang", "zh-CN"])
        #expect(zh.status == 3 && zh.stderr.contains("不是网页模板文件夹 (WFC9021)"), "\(zh.stderr)")
        let en = try CLI.run(["serve", "--store", store, "--listen", "127.0.0.1:0", "--web-dir", dir.path], env: ["LANG": "C"])
        #expect(en.status == 3 && en.stderr.contains("is not a folder of web templates (WFC9021)"), "\(en.stderr)")
    }

    @Test func servesTheAPIAndStopsOnSIGTERM() async throws {
        let dir = try CLI.tempDir([:])
        let store = dir.appendingPathComponent("store.sqlite").path
        let p = Process()
        p.executableURL = CLI.executable
        p.arguments = ["serve", "--store", store, "--listen", "127.0.0.1:0"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        // The first line names the port.
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("\n"), Date() < deadline, p.isRunning {
            printed += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        let port = try #require(printed.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "\(printed)")
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))

        // The secret was created beside the store, readable by its owner only.
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("jwt-secret").path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let admin = try CLI.run(["token", "issue", "--sub", "hr.admin", "--scope", "admin", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let supervisor = try CLI.run(["token", "issue", "--sub", "wang.wu", "--ttl", "10m", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(admin.split(separator: ".").count == 3)

        let yaml = try String(contentsOf: CLI.packageRoot.appendingPathComponent("workflows/personnel-change.yaml"), encoding: .utf8)
        let (deployed, deployBody) = try await request("POST", base.appendingPathComponent("v1/definitions"), token: admin, body: yaml, type: "application/yaml")
        #expect(deployed == 201, "\(deployBody)")
        let people = #"{"employee": "zhang.san", "receiver": "li.si", "supervisor": "wang.wu", "dept_head": "zhao.liu"}"#
        let (started, _) = try await request("POST", base.appendingPathComponent("v1/cases"), token: admin,
                                             body: #"{"definition": "personnel-change", "id": "P1", "people": \#(people)}"#)
        #expect(started == 201)
        let (tasks, taskBody) = try await request("GET", base.appendingPathComponent("v1/tasks"), token: supervisor)
        #expect(tasks == 200 && taskBody.contains(#""state":"agree_date""#))
        let (fired, fireBody) = try await request("POST", base.appendingPathComponent("v1/cases/P1/events"), token: supervisor,
                                                  body: #"{"event": "agreed", "data": {"change": "transfer", "change_date": "2027-03-01"}}"#)
        #expect(fired == 200, "\(fireBody)")
        let (unauthenticated, problem) = try await request("GET", base.appendingPathComponent("v1/cases/P1"), token: "x")
        #expect(unauthenticated == 401 && problem.contains(#""code":"WFC9003""#))

        p.terminate() // SIGTERM: a graceful stop.
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("request_id="), "\(log)")
        #expect(log.contains("refused") && log.contains("WFC9003"))
        // What the server committed is in the store.
        let history = try CLI.run(["case", "history", "P1", "--store", store, "--format", "json"])
        #expect(history.stdout.contains(#""actor":"wang.wu""#))
    }
}
