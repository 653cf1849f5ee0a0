// lsp-bench WFC [CHANGES] [BIG_STATES] [BIG_CHANGES]
//
// The latency of `wfc lsp` (the release binary, over pipes, as an editor drives it): the time
// from sending a `didChange` to receiving its `publishDiagnostics`, for a 200-line policy
// (workflows/college-staff-transfer.yaml) and for a generated chain of BIG_STATES states.
// Baseline, in the same run: one `wfc check FILE` process on the same text (what an author
// waits for without the server). Prints medians, p99 and the ratio.
import Foundation

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: lsp-bench WFC [CHANGES=200] [BIG_STATES=10000] [BIG_CHANGES=20]\n".utf8))
    exit(2)
}
let wfc = URL(fileURLWithPath: args[1])
let changes = args.count > 2 ? Int(args[2]) ?? 200 : 200
let bigStates = args.count > 3 ? Int(args[3]) ?? 10_000 : 10_000
let bigChanges = args.count > 4 ? Int(args[4]) ?? 20 : 20

/// One `wfc lsp` process and a blocking reader of its framed messages.
final class Server {
    let process = Process()
    let input = Pipe(), output = Pipe()
    var buffer: [UInt8] = []
    var nextID = 1

    init() throws {
        process.executableURL = wfc
        process.arguments = ["lsp"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func send(_ message: [String: Any]) {
        let body = (try? JSONSerialization.data(withJSONObject: message)) ?? Data()
        input.fileHandleForWriting.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    func request(_ method: String, _ params: [String: Any]) {
        send(["jsonrpc": "2.0", "id": nextID, "method": method, "params": params])
        nextID += 1
    }

    func notify(_ method: String, _ params: [String: Any]) {
        send(["jsonrpc": "2.0", "method": method, "params": params])
    }

    /// The next message from the server (blocking).
    func read() -> [String: Any]? {
        while true {
            if let end = headerEnd(), let length = contentLength(buffer[..<end]) {
                let start = end + 4
                if buffer.count >= start + length {
                    let body = Data(buffer[start..<start + length])
                    buffer.removeFirst(start + length)
                    return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                }
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer += chunk
        }
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
        return nil
    }

    private func contentLength(_ header: ArraySlice<UInt8>) -> Int? {
        for line in String(decoding: header, as: UTF8.self).split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" { return Int(parts[1].trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    /// Waits for the diagnostics of `uri`; returns how many there are.
    func diagnostics(_ uri: String) -> Int? {
        while let m = read() {
            if m["method"] as? String == "textDocument/publishDiagnostics",
               let p = m["params"] as? [String: Any], p["uri"] as? String == uri {
                return (p["diagnostics"] as? [Any])?.count ?? 0
            }
        }
        return nil
    }

    func stop() {
        request("shutdown", [:])
        notify("exit", [:])
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
func ms(_ ns: UInt64) -> Double { Double(ns) / 1e6 }
func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
func fmt(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

/// Median and p99 latency of `count` changes (alternately edited and restored) to `text`.
func latency(_ text: String, name: String, count: Int) throws -> (median: Double, p99: Double) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-bench-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let uri = dir.appendingPathComponent(name).absoluteString
    let server = try Server()
    server.request("initialize", ["rootUri": dir.absoluteString, "capabilities": [String: Any]()])
    _ = server.read()
    server.notify("initialized", [:])
    server.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "yaml", "version": 1, "text": text]])
    guard server.diagnostics(uri) != nil else { throw CocoaError(.fileReadUnknown) }
    var times: [Double] = []
    for i in 1...count {
        let edited = i % 2 == 1 ? text + "# edit \(i)\n" : text
        let start = now()
        server.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": i + 1], "contentChanges": [["text": edited]]])
        guard server.diagnostics(uri) != nil else { throw CocoaError(.fileReadUnknown) }
        times.append(ms(now() - start))
    }
    server.stop()
    times.sort()
    return (percentile(times, 0.5), percentile(times, 0.99))
}

/// Median wall time of one `wfc check FILE` process on the same text.
func checkProcess(_ text: String, name: String, runs: Int) throws -> Double {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-bench-check-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    var times: [Double] = []
    for _ in 0..<runs {
        let p = Process()
        p.executableURL = wfc
        p.arguments = ["check", "--no-config", file.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let start = now()
        try p.run()
        p.waitUntilExit()
        times.append(ms(now() - start))
    }
    times.sort()
    return percentile(times, 0.5)
}

func chain(_ count: Int) -> String {
    var s = "workflow: big\nversion: 1\ntitle: 大流程\nroles:\n  a: {title: 甲}\nstart: s0\nstates:\n"
    for i in 0..<count - 1 { s += "  s\(i): {title: 第\(i)步, on: {go: {by: a, to: s\(i + 1)}}}\n" }
    s += "  s\(count - 1): {title: 完成, final: completed}\n"
    return s
}

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let policyText = try String(contentsOf: root.appendingPathComponent("workflows/college-staff-transfer.yaml"), encoding: .utf8)
let lines = policyText.split(separator: "\n", omittingEmptySubsequences: false).count
let small = try latency(policyText, name: "college-staff-transfer.yaml", count: changes)
let smallCheck = try checkProcess(policyText, name: "college-staff-transfer.yaml", runs: 21)
print("lsp: \(lines)-line policy, \(changes) changes: median \(fmt(small.median, 2)) ms, p99 \(fmt(small.p99, 2)) ms (goal < 100 ms)")
print("lsp: baseline `wfc check` process on it: median \(fmt(smallCheck, 2)) ms; ratio lsp/check \(fmt(small.median / smallCheck, 2))")
let bigText = chain(bigStates)
let big = try latency(bigText, name: "big.yaml", count: bigChanges)
let bigCheck = try checkProcess(bigText, name: "big.yaml", runs: 5)
print("lsp: \(bigStates)-state policy, \(bigChanges) changes: median \(fmt(big.median)) ms, p99 \(fmt(big.p99)) ms")
print("lsp: baseline `wfc check` process on it: median \(fmt(bigCheck)) ms; ratio lsp/check \(fmt(big.median / bigCheck, 2))")
