import Foundation
import GRDB
import TestSupport
import Testing
import WFCIR
import WFCRuntime
import WFCStore

enum Paths {
    static var packageRoot: URL { PackagePaths.root }

    /// The compiled company handover policy (see Tests/WFCRuntimeTests/Fixtures/README.md).
    static var handoverIR: URL { packageRoot.appendingPathComponent("Tests/WFCRuntimeTests/Fixtures/company-handover.ir.json") }

    /// A helper program built next to the test bundle.
    static func executable(_ name: String) -> URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [bundleDir, bundleDir.deletingLastPathComponent(), packageRoot.appendingPathComponent(".build/debug")] {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/\(name)")
    }

    /// A fresh store file in a temporary folder.
    static func tempStore() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wfc-store-\(UUID().uuidString)/store.sqlite").path
    }
}

func handover() throws -> Definition {
    try Definition(irJSON: try Data(contentsOf: Paths.handoverIR))
}

let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
/// 2025-09-26T10:00:00+08:00, a Friday before the National Day holiday.
let t0 = Date(timeIntervalSince1970: 1_758_852_000)

func item(_ name: String, done: Bool = true) -> ValueIR {
    .map(["name": .string(name), "kind": .string("document"), "done": .bool(done)])
}

struct Unexpected: Error, CustomStringConvertible { var description: String }

/// Starts C1 and moves it to `review` (3 audit events).
@discardableResult
func startInReview(_ store: Ledger, _ def: Definition, id: String = "C1") async throws -> CaseSnapshot {
    guard case .started = try await store.start(def, caseID: id, data: [:], people: people, actor: "hr-bot", now: t0) else { throw Unexpected(description: "start refused") }
    try accept(await store.fire(id, Event("submit", actor: "alice", payload: ["reason": "resignation", "last_day": "2025-10-31"]), now: t0))
    try accept(await store.fire(id, Event("ready", actor: "alice", payload: ["items": .list([item("客户资料")])]), now: t0))
    return try await store.load(id).snapshot
}

@discardableResult
func accept(_ o: FireOutcome, sourceLocation: SourceLocation = #_sourceLocation) throws -> Step {
    guard case .accepted(let step, _) = o else {
        Issue.record("expected accepted, got \(o)", sourceLocation: sourceLocation)
        throw Unexpected(description: "\(o)")
    }
    return step
}

extension ValueIR: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

/// Runs a program to completion, capturing stdout.
func run(_ exe: URL, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = exe
    p.arguments = args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// The task index as migration `v2` made it (a rowid table with an index by case), rows kept,
/// and `v6` not applied: a store as the wfc before `v6` left it.
func taskIndexBeforeV6(_ path: String) throws {
    try DatabaseQueue(path: path).inDatabase { db in
        try db.execute(sql: """
            CREATE TABLE tasks_v2 (case_id TEXT NOT NULL REFERENCES cases(id), person TEXT NOT NULL, role TEXT NOT NULL, state TEXT NOT NULL,
                                   title TEXT, item INTEGER, events TEXT NOT NULL, due TEXT);
            INSERT INTO tasks_v2 SELECT case_id, person, role, state, title, item, events, due FROM tasks ORDER BY case_id, n;
            DROP TABLE tasks;
            ALTER TABLE tasks_v2 RENAME TO tasks;
            CREATE INDEX tasks_person ON tasks(person, due);
            CREATE INDEX tasks_case ON tasks(case_id);
            DELETE FROM grdb_migrations WHERE identifier = 'v6';
            """)
    }
}
