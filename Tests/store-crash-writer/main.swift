// A helper program for WFCStoreTests. It is a separate executable, not a hidden `wfc`
// subcommand, so that the shipped CLI has no test-only entry points and the tests can SIGKILL
// a process that does nothing but durable writes.
//
//   store-crash-writer stream STORE IR CASE   start CASE if needed, then commit transitions
//                                             forever, printing "committed SEQ" after each
//   store-crash-writer race STORE CASE ACTOR EVENT
//                                             evaluate EVENT, print "ready", wait for a line on
//                                             stdin, commit; prints the outcome; exit 0 accepted,
//                                             1 refused, 4 conflict
//   store-crash-writer open STORE [read]      print "ready", wait for a line on stdin, open
//                                             (creating) the store and read it; print "opened";
//                                             `read`: open it as a read command does
import Foundation
import WFCIR
import WFCRuntime
import WFCStore

/// Unbuffered: a line is out before the next transition starts, so a SIGKILL cannot eat it.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func fail(_ message: String, _ code: Int32 = 3) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(code)
}

/// 2025-09-26T10:00:00+08:00 plus `seconds`: inside the built-in calendar's years.
func time(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_758_852_000 + Double(seconds)) }

/// Commits transitions forever; see the header.
func stream(_ path: String, _ irPath: String, _ caseID: String) async throws {
    let store = try Ledger(sqlitePath: path)
    let def = try Definition(irJSON: try Data(contentsOf: URL(fileURLWithPath: irPath)))
    let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
    var current: StoredCase
    if let c = try? await store.load(caseID) {
        current = c
    } else {
        let started = try await store.start(def, caseID: caseID, data: [:], people: people, actor: "writer", now: time(0))
        guard case .started(_, let a) = started else { fail("start refused") }
        say("committed \(a.seq)")
        current = try await store.load(caseID)
    }
    var n = current.headSeq
    while true {
        n += 1
        let s = current.snapshot
        let active = Show.activeStates(current.definition, s)
        let event: Event
        if n % 5 == 0 {
            // A refused attempt: recorded in the chain, nothing else changes.
            event = Event("approve", actor: "mallory")
        } else if active.contains("apply") {
            event = Event("submit", actor: "alice", payload: ["reason": .string("resignation"), "last_day": .string("2025-10-31")])
        } else if active.contains("prepare") {
            let item = ValueIR.map(["name": .string("客户资料"), "kind": .string("document"), "done": .bool(true)])
            event = Event("ready", actor: "alice", payload: ["items": .list([item])])
        } else if active.contains("review") {
            event = Event("approve", actor: "carol")
        } else {
            let signed = Show.pendingSignoffs(current.definition, s).first?.signed.contains { $0.person == "alice" } ?? false
            event = Event(signed ? "unsign" : "sign", actor: "alice", idempotencyKey: n % 3 == 0 ? "k\(n)" : nil)
        }
        let outcome = try await store.fire(caseID, event, now: time(n))
        say("committed \(outcome.audit.seq)")
        current = try await store.load(caseID)
    }
}

/// Evaluates, waits for a line on stdin, commits; returns the exit status.
func race(_ path: String, _ caseID: String, _ actor: String, _ name: String) async throws -> Int32 {
    let store = try Ledger(sqlitePath: path)
    let prepared = try await store.prepare(caseID, Event(name, actor: actor), now: time(100))
    guard case .ready(let p) = prepared else { fail("unexpected replay") }
    say("ready")
    _ = readLine()
    let outcome: FireOutcome
    do {
        outcome = try await store.commit(p)
    } catch {
        say("conflict \(error)")
        return error.isRetryable ? 4 : 3
    }
    switch outcome {
    case .accepted(_, let a): say("accepted \(a.seq)"); return 0
    case .refused(_, let a): say("refused \(a.seq)"); return 1
    case .replayed(let a): say("replayed \(a.seq)"); return 1
    }
}

/// Opens a store at a signal, so that many processes create one new store at the same moment.
func openAtOnce(_ path: String, readOnly: Bool) async throws {
    say("ready")
    _ = readLine()
    let store = try Ledger(sqlitePath: path, readOnly: readOnly && FileManager.default.fileExists(atPath: path))
    _ = try await store.caseIDs()
    say("opened")
}

func main() async -> Int32 {
    let args = CommandLine.arguments
    do {
        if args.count == 5, args[1] == "stream" {
            try await stream(args[2], args[3], args[4])
            return 0
        }
        if args.count == 6, args[1] == "race" { return try await race(args[2], args[3], args[4], args[5]) }
        if args.count == 3 || args.count == 4, args[1] == "open" {
            try await openAtOnce(args[2], readOnly: args.count == 4 && args[3] == "read")
            return 0
        }
    } catch {
        fail("error: \(error)")
    }
    fail("usage: store-crash-writer stream STORE IR CASE | race STORE CASE ACTOR EVENT | open STORE [read]", 2)
}

exit(await main())
