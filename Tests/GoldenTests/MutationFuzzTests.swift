import Foundation
import Testing
import WFCCompiler
import WFCDiagnostics
import WFCDriver

/// No input crashes wfc: thousands of deterministic mutations of real workflow files
/// (byte flips, deletions, duplications, truncations, splices of YAML and CEL punctuation)
/// run through the whole `wfc check` pipeline and the human renderer. A trap would kill the
/// test process, failing the run.
@Suite struct MutationFuzzTests {
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let tokens: [[UInt8]] = [
        "\n", ": ", "- ", "{", "}", "[", "]", "'", "\"", "&a ", "*a", "<<: ", "!!int ", "\t", "#", "|\n", ">-\n",
        "case.", "&&", "||", "(", ")", ".all(i, ", "join", "\u{FEFF}", "经理", "😀", "\r\n", "---\n", "...",
        "to: ", "by: ", "when: ", "requires: ", "signoff: ", "parallel: ", "foreach: ", "~", "\\u", "\\x4",
    ].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ rng: inout Rng) -> [UInt8] {
        var b = input
        for _ in 0...rng.below(4) {
            guard !b.isEmpty else { break }
            let i = rng.below(b.count)
            switch rng.below(6) {
            case 0: b[i] = UInt8(truncatingIfNeeded: rng.next())
            case 1: b.removeSubrange(i..<min(b.count, i + 1 + rng.below(20)))
            case 2: b.insert(contentsOf: tokens[rng.below(tokens.count)], at: i)
            case 3: b = Array(b.prefix(i))
            case 4:
                let j = rng.below(b.count)
                let len = min(30, b.count - j)
                b.insert(contentsOf: b[j..<(j + len)], at: i)
            default: b[i] = [0x20, 0x3A, 0x2D, 0x0A, 0x09][rng.below(5)]
            }
        }
        return b
    }

    @Test func mutatedWorkflowsNeverCrashTheChecker() throws {
        let root = Golden.root.deletingLastPathComponent().deletingLastPathComponent()
        var inputs: [[UInt8]] = []
        for dir in ["workflows", "Tests/GoldenTests/workflow/valid"] {
            let url = root.appendingPathComponent(dir)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.sorted() ?? [] where name.hasSuffix(".yaml") {
                inputs.append(Array(try Data(contentsOf: url.appendingPathComponent(name))))
            }
        }
        #expect(inputs.count >= 10)
        var rng = Rng(state: 20261122)
        let runner = CheckRunner.standard()
        var withDiagnostics = 0
        let rounds = 6000
        for k in 0..<rounds {
            let bytes = Self.mutate(inputs[k % inputs.count], &rng)
            let file = SourceFile(path: "fuzz.yaml", bytes: bytes)
            let out = runner.checkWithSources(file)
            _ = HumanRenderer().render(out.diagnostics, sources: SourceMap([file] + out.sources))
            for d in out.diagnostics {
                // Every diagnostic points inside the file it names.
                #expect(d.primary.span.start >= 0 && d.primary.span.end <= max(bytes.count, d.primary.span.start))
            }
            if !out.diagnostics.isEmpty { withDiagnostics += 1 }
        }
        // Most mutations break something; the fuzz must actually exercise error paths.
        #expect(withDiagnostics > rounds / 2)
    }
}
