import Foundation
import TestSupport

/// Runs the built `wfc` executable and captures what it prints.
struct CLIResult {
    var stdout: String
    var stderr: String
    var status: Int32
}

enum CLI {
    static var packageRoot: URL { PackagePaths.root }

    /// The `wfc` binary built next to the test bundle.
    static var executable: URL { PackagePaths.wfcExecutable }

    static func run(_ args: [String], stdin: String? = nil, cwd: URL? = nil, env: [String: String] = [:]) throws -> CLIResult {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.currentDirectoryURL = cwd ?? packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        // English unless a test asks for a locale: the outputs compared are English.
        for k in ["LC_ALL", "LC_MESSAGES", "LANG"] { environment.removeValue(forKey: k) }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read before waiting so a large output cannot fill the pipe and block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIResult(stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self), status: p.terminationStatus)
    }

    /// A fresh temporary directory holding `files`.
    static func tempDir(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-cli-\(UUID().uuidString)")
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }
}
