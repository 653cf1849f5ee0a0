import Foundation
import Testing
import WFCDiagnostics
import WFCDriver
import WFCYAML

/// Golden tests of `.wfc.yaml` (`config/`) and of `# wfc-ignore:` comments (`ignore/`).
@Suite struct ConfigGoldenTests {
    @Test(arguments: Golden.inputs("config/invalid"))
    func invalidConfiguration(_ input: URL) throws {
        let file = try Golden.source(input)
        let config = WFCConfiguration.parse(file, directory: input.deletingLastPathComponent().path)
        #expect(!config.diagnostics.isEmpty, "\(input.lastPathComponent) should produce diagnostics")
        try Golden.compare(Golden.render(config.diagnostics, file), for: input)
        try Golden.compareChinese(config.diagnostics, sources: SourceMap([file]), for: input)
    }

    @Test(arguments: Golden.inputs("config/valid"))
    func validConfiguration(_ input: URL) throws {
        let file = try Golden.source(input)
        let config = WFCConfiguration.parse(file, directory: input.deletingLastPathComponent().path)
        #expect(config.diagnostics.isEmpty, "\(Golden.render(config.diagnostics, file))")
        #expect(!config.severities.isEmpty || !config.ignores.isEmpty || config.language != nil)
    }

    /// An empty `.wfc.yaml`, or one of comments only, marks a repository root and sets nothing.
    @Test(arguments: ["", "# no settings yet\n", "\n\n"])
    func anEmptyConfigurationIsValid(_ text: String) {
        let config = WFCConfiguration.parse(SourceFile(path: ".wfc.yaml", text: text), directory: "/repo")
        #expect(config.diagnostics.isEmpty, "\(Golden.render(config.diagnostics, config.file))")
        #expect(config.severities.isEmpty && config.ignores.isEmpty && config.language == nil)
    }

    /// A workflow's diagnostics after its inline ignores, suppressed ones included (as
    /// `--show-suppressed` shows them).
    static func checked(_ input: URL) throws -> (active: [Diagnostic], suppressed: [Diagnostic], file: SourceFile) {
        let file = try Golden.source(input)
        let runner = CheckRunner.standard()
        let diagnostics = runner.check(file)
        let root = YAMLLoader().load(file).root
        let (active, suppressed) = Suppressor.apply(diagnostics, file: file, root: root, configuration: nil)
        return (active, suppressed, file)
    }

    @Test(arguments: Golden.inputs("ignore/invalid"))
    func invalidIgnores(_ input: URL) throws {
        let (active, suppressed, file) = try Self.checked(input)
        #expect(!active.isEmpty, "\(input.lastPathComponent) should produce diagnostics")
        try Golden.compare(Golden.render((active + suppressed).sortedForOutput(), file), for: input)
        try Golden.compareChinese((active + suppressed).sortedForOutput(), sources: SourceMap([file]), for: input)
    }

    /// Every ignore here is used and every diagnostic suppressed.
    @Test(arguments: Golden.inputs("ignore/valid"))
    func validIgnores(_ input: URL) throws {
        let (active, suppressed, file) = try Self.checked(input)
        #expect(active.isEmpty, "\(Golden.render(active, file))")
        #expect(!suppressed.isEmpty)
    }
}
