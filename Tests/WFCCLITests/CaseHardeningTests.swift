import Foundation
import Testing

/// Issue #12 through the binary: forged names, reused keys, checkpoints, verify --all,
/// read-only stores, store URLs, tick output as it commits, the role of a signature.
@Suite struct CaseHardeningTests {
    let dir: URL
    // The frozen copy of the policy (Tests/WFCRuntimeTests/Fixtures): these tests need its flow, not the policy library's.
    let workflow = CLI.packageRoot.appendingPathComponent("Tests/WFCRuntimeTests/Fixtures/company-handover.yaml").path
    var store: String { dir.appendingPathComponent("s/store.sqlite").path }

    init() throws {
        dir = try CLI.tempDir([
            "case.yaml": """
                people: {handover: zhang.san, receiver: li.si, manager: wang.wu, hr: zhao.liu}
                data: {reason: resignation, last_day: 2025-10-31}
                """,
            "bidi.yaml": "people: {handover: zhang.san, receiver: \"li.si\\u202E\", manager: wang.wu, hr: zhao.liu}\ndata: {reason: resignation, last_day: 2025-10-31}\n",
            "items.yaml": "items:\n  - {name: 客户资料, kind: document, done: true}\n",
        ])
    }

    func wfc(_ args: [String]) throws -> CLIResult {
        try CLI.run(args, cwd: dir, env: ["WFC_STORE": store])
    }

    /// Starts C1 and brings it to the execute sign-off.
    func startInExecute(_ id: String = "C1") throws {
        for args in [["case", "start", workflow, "--data", "case.yaml", "--id", id, "--now", "2025-09-26"],
                     ["case", "fire", id, "submit", "--as", "zhang.san", "--now", "2025-09-26T10:00:00+08:00"],
                     ["case", "fire", id, "ready", "--as", "zhang.san", "--data", "items.yaml", "--now", "2025-09-26T11:00:00+08:00"],
                     ["case", "fire", id, "approve", "--as", "wang.wu", "--now", "2025-09-26T12:00:00+08:00"]] {
            let r = try wfc(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
    }

    @Test func aForgedActorIsRefusedAndNothingIsRecorded() throws {
        try startInExecute()
        let forged = try wfc(["case", "fire", "C1", "sign", "--as", "mallory\n5    2025-09-26T05:00:00Z  wang.wu  sign  v5", "--now", "2025-09-26T13:00:00+08:00"])
        #expect(forged.status == 2)
        #expect(forged.stderr.hasPrefix("error[WFC7012]: the actor contains U+000A"), "\(forged.stderr)")
        let escape = try wfc(["case", "fire", "C1", "sign", "--as", "zhang.san", "--key", "k\u{1B}[2J"])
        #expect(escape.status == 2)
        #expect(!escape.stderr.contains("\u{1B}"))
        let history = try wfc(["case", "history", "C1"])
        #expect(history.stdout.split(separator: "\n").count == 5, "\(history.stdout)")
        // A person id of the case file is checked where it is written.
        let bidi = try wfc(["case", "start", workflow, "--data", "bidi.yaml", "--id", "C2", "--now", "2025-09-26"])
        #expect(bidi.status == 1)
        #expect(bidi.stderr.contains("bidi.yaml:1:"), "\(bidi.stderr)")
        #expect(bidi.stderr.contains("error[WFC7012]: the person id of role `receiver` contains U+202E"))
        #expect(try wfc(["case", "list"]).stdout.split(separator: "\n").count == 2)
    }

    @Test func aReusedKeyForAnotherRequestIsRefused() throws {
        try startInExecute()
        #expect(try wfc(["case", "fire", "C1", "sign", "--as", "zhang.san", "--key", "s1", "--now", "2025-09-26T13:00:00+08:00"]).status == 0)
        let same = try wfc(["case", "fire", "C1", "sign", "--as", "zhang.san", "--key", "s1"])
        #expect(same.status == 0)
        #expect(same.stdout.contains("already used by event 5"))
        let other = try wfc(["case", "fire", "C1", "sign", "--as", "li.si", "--key", "s1", "--format", "json"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("\"code\":\"WFC7013\""), "\(other.stderr)")
        #expect(other.stderr.contains("actor `zhang.san`, now `li.si`"))
        #expect(try wfc(["case", "history", "C1"]).stdout.split(separator: "\n").count == 6)
    }

    @Test func signingUnderAnotherPersonsRoleIsNotAlreadySigned() throws {
        try startInExecute()
        let r = try wfc(["case", "fire", "C1", "sign", "--as", "zhang.san", "--role", "receiver", "--now", "2025-09-26T13:00:00+08:00"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error[WFC6019]: zhang.san does not hold role `receiver` (it is bound to li.si)"), "\(r.stderr)")
        #expect(!r.stderr.contains("already signed"))
    }

    @Test func checkpointsAndVerifyAll() throws {
        try startInExecute("C1")
        try startInExecute("C2")
        let key = try wfc(["case", "checkpoint", "--new-key", "signing.key"])
        #expect(key.status == 0, "\(key.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("signing.key").path)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o777 } == 0o600)
        let signed = try wfc(["case", "checkpoint", "--key", "signing.key", "-o", "cp.json"])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdout.hasPrefix("signed the heads of 2 cases"))
        let ok = try wfc(["case", "verify", "--checkpoint", "cp.json", "--public-key", "signing.key.pub"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("[1/2] C1: ok — 4 events"), "\(ok.stdout)")
        #expect(ok.stdout.contains("[2/2] C2: ok"))
        #expect(ok.stdout.contains("verified 2 cases: 2 ok, 0 failed; checkpoint of"))
        // The checkpoint changed after signing.
        let cp = dir.appendingPathComponent("cp.json")
        try (try String(contentsOf: cp, encoding: .utf8)).replacingOccurrences(of: "\"seq\": 4", with: "\"seq\": 3").write(to: cp, atomically: true, encoding: .utf8)
        let changed = try wfc(["case", "verify", "--checkpoint", "cp.json", "--public-key", "signing.key.pub"])
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("error[WFC7016]: the signature of cp.json does not verify"), "\(changed.stderr)")
        let all = try wfc(["case", "verify", "--all"])
        #expect(all.status == 0)
        #expect(all.stdout.hasSuffix("verified 2 cases: 2 ok, 0 failed\n"))
    }

    /// An archived store: a read-only file in a read-only folder, read by someone who cannot
    /// write there (as root, the commands run as `nobody`, since root may write anyway).
    @Test func aReadOnlyStoreCanBeReadAndVerified() throws {
        try startInExecute()
        let folder = dir.appendingPathComponent("s")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: store)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let asReader: [String] = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", CLI.executable.path] : [CLI.executable.path]
        if getuid() == 0 && !FileManager.default.isExecutableFile(atPath: asReader[0]) { return }
        for args in [["case", "show", "C1"], ["case", "list"], ["case", "history", "C1"], ["case", "verify", "C1"], ["case", "verify", "--all"]] {
            let r = try run(asReader + args + ["--store", store])
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("readonly"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
        let write = try run(asReader + ["case", "fire", "C1", "sign", "--as", "zhang.san", "--store", store])
        #expect(write.status == 3, "\(write.stderr)")
    }

    func run(_ command: [String]) throws -> CLIResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: command[0])
        p.arguments = Array(command.dropFirst())
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIResult(stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self), status: p.terminationStatus)
    }

    @Test func aStoreURLIsNotAPath() throws {
        // postgres:// is a backend now (WFCPostgresTests); another scheme is refused, never a path.
        let r = try CLI.run(["case", "list", "--store", "mysql://user@host/db"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error[WFC7015]: `mysql://user@host/db`: no store backend for `mysql://` is available in this build"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("mysql:").path))
        // A malformed postgres:// location is refused before anything is opened, password hidden.
        let bad = try CLI.run(["case", "list", "--store", "postgres://hr:secret@host"], cwd: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("error[WFC7023]: `postgres://hr:***@host`"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("secret"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("postgres:").path))
    }

    /// A killed tick has printed the cases it committed: each line is out as its case commits.
    @Test func tickPrintsEachCaseAsItCommits() throws {
        // 25 cases in review, all overdue at `late`.
        for i in 0..<25 {
            for args in [["case", "start", workflow, "--data", "case.yaml", "--id", "T\(i)", "--now", "2025-09-26"],
                         ["case", "fire", "T\(i)", "submit", "--as", "zhang.san", "--now", "2025-09-26"],
                         ["case", "fire", "T\(i)", "ready", "--as", "zhang.san", "--data", "items.yaml", "--now", "2025-09-26"]] {
                #expect(try wfc(args).status == 0)
            }
        }
        let p = Process()
        p.executableURL = CLI.executable
        p.arguments = ["case", "tick", "--now", "2025-10-09T10:00:00+08:00", "--store", store]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        // The first line arrives while the other cases are still to come.
        var buffer = Data()
        while !buffer.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        buffer.append(out.fileHandleForReading.readDataToEndOfFile())
        let printed = String(decoding: buffer, as: UTF8.self).split(separator: "\n").filter { $0.contains(": tick (event 4") }.map { String($0.prefix { $0 != ":" }) }
        #expect(!printed.isEmpty)
        let list = try wfc(["case", "list", "--format", "json"])
        let cases = try #require((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["cases"] as? [[String: Any]])
        let ticked = Set(cases.filter { $0["version"] as? Int == 4 }.compactMap { $0["id"] as? String })
        // Every case printed was committed, and the kill came before the last case.
        #expect(Set(printed).isSubset(of: ticked))
        #expect(ticked.count < 25, "tick finished before printing its first line")
    }
}
