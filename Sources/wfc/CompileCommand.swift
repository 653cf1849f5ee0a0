import ArgumentParser
import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCDriver

struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: CLIText.abstract("compile"),
        discussion: CLIText.discussion("compile"))

    @Argument(help: .text("common.workflow-file-stdin", valueName: "file"))
    var file: String

    @Option(name: .shortAndLong, help: .text("compile.output", valueName: "out"))
    var output: String?

    @Flag(help: .text("compile.pretty"))
    var pretty = false

    @OptionGroup var diagnostics: OutputOptions

    @OptionGroup var input: InputOptions

    func run() throws {
        BatchMemory.keepFreedMemory()
        // Sealed here, so that the canonical form is encoded once for hash and output.
        let result = try Compilation.compile(file, input.settings, seal: false)
        try Compilation.report(result, diagnostics.output)
        guard let ir = result.ir else { throw CommandFailure(.diagnostics, "") }
        let sealed = try IRCoding.sealedCompact(ir)
        var data = try pretty ? IRCoding.pretty(sealed.ir) : sealed.json
        data.append(UInt8(ascii: "\n"))
        if let output {
            do {
                try data.write(to: URL(fileURLWithPath: output))
            } catch {
                throw CommandFailure(.failure, CLIText.t("failure.cannot-write", ["file": output, "why": error.localizedDescription]))
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
        // As `wfc check`: freeing the syntax tree and the IR one by one would only delay the exit.
        Foundation.exit(ExitStatus.clean.rawValue)
    }
}

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: CLIText.abstract("graph"))

    @Argument(help: .text("common.workflow-file-stdin", valueName: "file"))
    var file: String

    @Option(help: .text("graph.format"))
    var format: GraphRenderer.Format = .mermaid

    @Option(help: .text("graph.color", valueName: "when"))
    var color: OutputOptions.ColorMode = .auto

    @OptionGroup var input: InputOptions

    func run() throws {
        let result = try Compilation.compile(file, input.settings)
        let out = DiagnosticOutput(format: .human, useColor: DiagnosticOutput.shouldColor(
            color.rawValue, isTerminal: isatty(STDERR_FILENO) != 0, environment: ProcessInfo.processInfo.environment))
        try Compilation.report(result, out, toStderr: true)
        guard let ir = result.ir else { throw CommandFailure(.diagnostics, "") }
        emit(GraphRenderer(ir).render(format))
    }
}

extension GraphRenderer.Format: ExpressibleByArgument {}

/// Shared by the commands that compile one file.
enum Compilation {
    /// `seal: false` leaves the content hash to the caller.
    static func compile(_ path: String, _ input: InputSettings, seal: Bool = true) throws -> CompileResult {
        if FileDiscovery.isDirectory(path) { throw CommandFailure(.usage, CLIText.t("failure.is-directory", ["path": path])) }
        let file = try input.read(path)
        var compiler = input.compiler
        compiler.seal = seal
        return compiler.compile(file)
    }

    /// Prints the diagnostics (to stderr when stdout carries the product).
    static func report(_ result: CompileResult, _ output: DiagnosticOutput, toStderr: Bool = false) throws {
        guard !result.diagnostics.isEmpty else { return }
        let text = output.render(result.diagnostics, sources: SourceMap(result.sources))
        if toStderr || output.format == .human {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            emit(text)
        }
    }
}
