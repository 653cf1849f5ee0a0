import Foundation
import Testing
import WFCDiagnostics
import WFCDriver
import WFCIR
import WFCRuntime
import WFCScenarios
import WFCStore

/// `CaseSnapshot.canonicalJSON()` is written by hand, and stored snapshot hashes are of its
/// bytes: they must be `JSONEncoder`'s (`[.sortedKeys, .withoutEscapingSlashes]`), the encoding
/// the store used before, byte for byte.
@Suite struct SnapshotJSONTests {
    static func encoderJSON(_ s: CaseSnapshot) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(s), as: UTF8.self)
    }

    static func handJSON(_ s: CaseSnapshot) throws -> String {
        String(decoding: try s.canonicalJSON(), as: UTF8.self)
    }

    final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var snapshots: [CaseSnapshot] = []
        var effects: [Effect] = []
        func add(_ s: Step) { lock.lock(); snapshots.append(s.snapshot); effects += s.effects; lock.unlock() }
    }

    static let repository = Golden.root.deletingLastPathComponent().deletingLastPathComponent()

    /// Every snapshot of every scenario of the real workflows and of the valid scenario goldens.
    static func scenarioSnapshots() throws -> [CaseSnapshot] { try scenarioSteps().snapshots }

    static func scenarioSteps() throws -> Collected {
        let folders = [repository.appendingPathComponent("workflows"), Golden.root.appendingPathComponent("scenario/valid")]
        let collected = Collected()
        for folder in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter(ScenarioFiles.isScenario).sorted()
            for name in names {
                let path = folder.appendingPathComponent(name).path
                let source = try InputSettings().read(path)
                var parser = ScenarioParser()
                guard let file = parser.parse(source).file, case .success(let w) = LoadedWorkflow.load(file.workflowPath) else {
                    Issue.record("\(path) does not load")
                    continue
                }
                var runner = ScenarioRunner(workflow: w)
                runner.stopOnRefusal = false
                runner.observe = { _, result, _ in if let step = result.step { collected.add(step) } }
                var coverage = Coverage(workflow: file.workflowPath)
                _ = runner.run(file, coverage: &coverage)
            }
        }
        return collected
    }

    @Test func realWorkflowScenarios() throws {
        let snapshots = try Self.scenarioSnapshots()
        #expect(snapshots.count > 200)
        var differing = 0
        for s in snapshots where try Self.handJSON(s) != Self.encoderJSON(s) {
            differing += 1
            if differing == 1 { Issue.record("first difference:\n\(try Self.handJSON(s))\n\(try Self.encoderJSON(s))") }
        }
        #expect(differing == 0)
        // What those scenarios reach: sign-offs, timers, foreach items, violations, escalations.
        let all = try snapshots.map(Self.handJSON).joined()
        for key in ["\"signoff\":", "\"timer\":", "\"itemValue\":", "\"violations\":[{", "\"escalations\":[{", "\"quorum\":", "\"target\":"] {
            #expect(all.contains(key), "no scenario snapshot has \(key)")
        }
    }

    /// Text the encoder escapes or sorts in ways that are easy to get wrong.
    static let tricky: [String] = {
        var all = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        all += ["\"", "\\", "/", "\u{7f}", "\u{80}", "\u{85}", "\u{a0}", "\u{2028}", "\u{2029}", "\u{feff}", "中文", "é", "e\u{301}", "😀", "ｚ", "A", "a", "_", "~", "1", "10", "2", ""]
        return all
    }()

    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func text() -> String {
            (0..<next(4)).map { _ in SnapshotJSONTests.tricky[next(SnapshotJSONTests.tricky.count)] }.joined()
        }
        mutating func value(_ depth: Int) -> ValueIR {
            switch next(depth > 2 ? 5 : 7) {
            case 0: return .null
            case 1: return .bool(next(2) == 0)
            case 2: return .int([0, 1, -1, 42, Int.max, Int.min, 1_000_000_007][next(7)])
            case 3: return .double([0.5, -0.0, 1e20, 1.5e-7, 1e15, 1e16, 3.141592653589793, 100.0, 0.1 + 0.2, 123456789.123][next(10)])
            case 4: return .string(text())
            case 5: return .list((0..<next(4)).map { _ in value(depth + 1) })
            default: return .map(Dictionary((0..<next(5)).map { _ in (text(), value(depth + 1)) }, uniquingKeysWith: { a, _ in a }))
            }
        }
    }

    /// Real snapshots with their text, data, people, keys and records replaced by tricky values.
    @Test func escapingAndKeyOrder() throws {
        let base = try Self.scenarioSnapshots()
        #expect(!base.isEmpty)
        var random = Random(state: 20261205)
        for i in 0..<600 {
            var s = base[random.next(base.count)]
            s.caseID = random.text()
            s.workflowID = random.text()
            s.data = Dictionary((0..<random.next(8)).map { _ in (random.text(), random.value(0)) }, uniquingKeysWith: { a, _ in a })
            s.people = Dictionary((0..<random.next(5)).map { _ in (random.text(), random.text()) }, uniquingKeysWith: { a, _ in a })
            s.processedKeys = (0..<random.next(3)).map { _ in random.text() }
            if !s.violations.isEmpty {
                s.violations[0].message = random.text()
                s.violations[0].clause = random.next(2) == 0 ? nil : random.text()
                s.violations[0].span.file = random.text()
            }
            if !s.escalations.isEmpty {
                s.escalations[0].reason = random.next(2) == 0 ? nil : random.text()
                s.escalations[0].people = [random.text()]
            }
            if var a = s.root.active {
                a.name = random.text()
                s.root.active = a
            }
            s.root.rounds = Dictionary((0..<random.next(4)).map { _ in (random.text(), random.next(5)) }, uniquingKeysWith: { a, _ in a })
            let hand = try Self.handJSON(s), encoder = try Self.encoderJSON(s)
            #expect(hand == encoder, "snapshot \(i)")
            if hand != encoder { break }
        }
    }

    /// A number the encoder cannot write fails the same way.
    @Test func nonFiniteNumbersThrow() throws {
        var s = try #require(try Self.scenarioSnapshots().first)
        s.data["x"] = .double(.nan)
        #expect(throws: (any Error).self) { try s.canonicalJSON() }
        #expect(throws: (any Error).self) { try Self.encoderJSON(s) }
    }

    static func encoderText<T: Encodable>(_ v: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(v), as: UTF8.self)
    }

    /// Outbox effects and event payloads are written by hand too (`CanonicalJSON`).
    @Test func effectsAndPayloads() throws {
        let effects = try Self.scenarioSteps().effects
        #expect(effects.count > 100)
        var random = Random(state: 7)
        var all = effects
        for _ in 0..<300 {
            all.append(.taskOpened(state: random.text(), item: random.next(2) == 0 ? nil : random.next(9), events: [random.text()],
                                   roles: [random.text(), random.text()], people: [random.text()]))
        }
        all += [.caseFinished(.completed), .caseFinished(.withdrawn)]
        for e in all {
            #expect(try CanonicalJSON.encode(e) == Self.encoderText(e))
        }
        for _ in 0..<300 {
            let payload = Dictionary((0..<random.next(6)).map { _ in (random.text(), random.value(0)) }, uniquingKeysWith: { a, _ in a })
            #expect(try CanonicalJSON.encode(payload) == Self.encoderText(payload))
        }
    }
}
