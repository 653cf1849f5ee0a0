import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `wfc serve` process on a free loopback port, for the tests that kill, restart and load
/// real servers (the crash and soak tests).
public struct ServeProcess: @unchecked Sendable {
    public struct DidNotStart: Error, CustomStringConvertible {
        public var description: String
    }

    public let process: Process
    /// `http://127.0.0.1:PORT`.
    public let base: URL

    /// Starts `wfc serve ARGUMENTS --listen 127.0.0.1:0` and waits (up to a minute) for the
    /// line that names its port.
    public static func start(_ arguments: [String]) throws -> ServeProcess {
        let p = Process()
        p.executableURL = PackagePaths.wfcExecutable
        p.arguments = ["serve"] + arguments + ["--listen", "127.0.0.1:0"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("\n"), Date() < deadline, p.isRunning {
            printed += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        // "wfc serve: listening on http://127.0.0.1:PORT (store …)"
        guard let url = printed.split(separator: " ").first(where: { $0.hasPrefix("http://") }),
              let port = url.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }),
              let base = URL(string: "http://127.0.0.1:\(port)") else {
            p.terminate()
            throw DidNotStart(description: "wfc serve did not start: \(printed)")
        }
        return ServeProcess(process: p, base: base)
    }

    /// SIGKILL: no chance to finish anything.
    public func kill() {
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        waitForExit(seconds: 10)
    }

    /// SIGTERM, and waits (up to 30 s) for the graceful stop.
    public func stop() {
        process.terminate()
        waitForExit(seconds: 30)
    }

    /// Polls instead of `waitUntilExit`, which can miss an exit on Linux and spin forever.
    func waitForExit(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
    }

    /// POSTs `body`; the status, or 0 when no answer came (refused, reset, timed out).
    public static func post(_ url: URL, token: String, body: String, type: String = "application/json", key: String? = nil,
                            timeout: TimeInterval = 30) async -> Int {
        var r = URLRequest(url: url, timeoutInterval: timeout)
        r.httpMethod = "POST"
        r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        r.setValue(type, forHTTPHeaderField: "Content-Type")
        if let key { r.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
        r.httpBody = Data(body.utf8)
        guard let (_, response) = try? await URLSession.shared.data(for: r) else { return 0 }
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// Runs `wfc ARGUMENTS` to its end: the exit status and stdout followed by stderr.
    public static func wfc(_ arguments: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = PackagePaths.wfcExecutable
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Runs a program to its end with posix_spawn and waitpid: Foundation's `Process` on Linux
/// sometimes misses the exit of a short-lived child while other children run (its
/// `waitUntilExit` then spins forever). The exit status; -1 when it could not be started.
public func runToEnd(_ path: String, _ arguments: [String] = []) -> Int32 {
    var pid: pid_t = 0
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    guard posix_spawn(&pid, path, nil, nil, argv, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
        if errno != EINTR { return -1 }
    }
    // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
}
