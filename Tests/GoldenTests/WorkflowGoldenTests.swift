import Foundation
import Testing
import WFCCompiler
import WFCDiagnostics
import WFCDriver
import WFCYAML

/// Golden tests of the whole `wfc check` pipeline on workflow files.
@Suite struct WorkflowGoldenTests {
    /// The runner `wfc check` uses, reading imports relative to the golden folder.
    static let runner: CheckRunner = {
        var r = CheckRunner.standard()
        let root = Golden.root.path
        r.phases = [CompilePhase(compiler: WorkflowCompiler(readFile: { path in
            FileManager.default.contents(atPath: root + "/" + path).map { .success(SourceFile(path: path, bytes: Array($0))) } ?? .failure(.notFound)
        }))]
        return r
    }()

    /// The runner `wfc check --strict` uses: it adds the traceability check (WFC5040).
    static let strictRunner: CheckRunner = {
        var r = CheckRunner.standard(strict: true)
        let root = Golden.root.path
        var compiler = WorkflowCompiler(readFile: { path in
            FileManager.default.contents(atPath: root + "/" + path).map { .success(SourceFile(path: path, bytes: Array($0))) } ?? .failure(.notFound)
        })
        compiler.traceability = true
        r.phases = [CompilePhase(compiler: compiler)]
        return r
    }()

    /// `workflow/strict/X.yaml` under `--strict` against `X.expected` (empty when nothing is
    /// reported: a policy traced by inheritance or by assumptions is not a finding).
    @Test(arguments: Golden.inputs("workflow/strict"))
    func strict(_ input: URL) throws {
        let file = try Golden.source(input)
        let out = Self.strictRunner.checkWithSources(file)
        try Golden.compare(HumanRenderer().render(out.diagnostics, sources: SourceMap([file] + out.sources)), for: input)
        if !out.diagnostics.isEmpty { try Golden.compareChinese(out.diagnostics, sources: SourceMap([file] + out.sources), for: input) }
        // Plain `wfc check` never reports it.
        #expect(!Self.runner.checkWithSources(file).diagnostics.contains { $0.code == "WFC5040" })
    }

    @Test(arguments: Golden.inputs("workflow/invalid"))
    func invalid(_ input: URL) throws {
        let file = try Golden.source(input)
        let out = Self.runner.checkWithSources(file)
        #expect(out.diagnostics.contains { $0.severity == .error || $0.severity == .warning }, "\(input.lastPathComponent) should produce diagnostics")
        try Golden.compare(HumanRenderer().render(out.diagnostics, sources: SourceMap([file] + out.sources)), for: input)
        try Golden.compareChinese(out.diagnostics, sources: SourceMap([file] + out.sources), for: input)
    }

    @Test(arguments: Golden.inputs("workflow/valid"))
    func valid(_ input: URL) throws {
        let file = try Golden.source(input)
        let out = Self.runner.checkWithSources(file)
        #expect(out.diagnostics.isEmpty, "\(HumanRenderer().render(out.diagnostics, sources: SourceMap([file] + out.sources)))")
    }

    @Test func validFilesCompileToIR() throws {
        for input in Golden.inputs("workflow/valid") {
            let file = try Golden.source(input)
            let result = WorkflowCompiler(readFile: { path in
                FileManager.default.contents(atPath: Golden.root.path + "/" + path).map { .success(SourceFile(path: path, bytes: Array($0))) } ?? .failure(.notFound)
            }).compile(file)
            let ir = try #require(result.ir, "\(input.lastPathComponent)")
            // The hash is of the canonical form and survives a round trip.
            let data = try IRCoding.pretty(ir)
            let loaded = try IRCoding.load(data)
            #expect(loaded == ir)
            #expect(ir.contentHash?.hasPrefix("sha256:") == true)
            // `wfc compile`'s compact output (the canonical bytes with the hash put in) is
            // exactly what the encoder writes for the sealed IR, and seals to the same hash.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let direct = try encoder.encode(ir)
            #expect(try IRCoding.compact(ir) == direct)
            var unsealed = ir
            unsealed.contentHash = nil
            let once = try IRCoding.sealedCompact(unsealed)
            #expect(once.json == direct && once.ir == ir)
            #expect(try IRCoding.load(once.json) == ir)
        }
    }
}
