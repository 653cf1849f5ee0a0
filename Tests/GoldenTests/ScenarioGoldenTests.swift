import Foundation
import Testing
import WFCDiagnostics
import WFCDriver
import WFCScenarios

/// Golden tests of `wfc test`: each `scenario/invalid/X.test.yaml` runs against its workflow and
/// its whole report must equal `X.test.expected`; every scenario under `scenario/valid/` passes.
@Suite struct ScenarioGoldenTests {
    static func inputs(_ folder: String) -> [URL] {
        Golden.inputs(folder).filter { ScenarioFiles.isScenario($0.lastPathComponent) }
    }

    /// The report with paths relative to the golden root, so that it does not depend on the checkout.
    static func report(_ input: URL) -> (TestReport, String) {
        let report = ScenarioSuite.run([input.path])
        let text = report.render(DiagnosticOutput(format: .human, useColor: false), coverage: true)
        return (report, text.replacingOccurrences(of: Golden.root.path + "/", with: ""))
    }

    @Test(arguments: inputs("scenario/invalid"))
    func invalid(_ input: URL) throws {
        let (report, text) = Self.report(input)
        #expect(report.failed > 0, "\(input.lastPathComponent) should have failing scenarios")
        #expect(report.exitStatus == .diagnostics)
        try Golden.compare(text, for: input)
        // The same report in Chinese: refusals (WFC6xxx) are translated.
        let zh = report.render(DiagnosticOutput(format: .human, useColor: false, language: .zhCN), coverage: true)
        try Golden.compareChinese(zh.replacingOccurrences(of: Golden.root.path + "/", with: ""), for: input)
        Golden.expectCovered(report.results.flatMap(\.failures) + report.brokenFiles.flatMap { $0.diagnostics }, for: input)
    }

    @Test(arguments: inputs("scenario/valid"))
    func valid(_ input: URL) throws {
        let (report, text) = Self.report(input)
        #expect(report.failed == 0 && report.passed > 0, "\(text)")
        #expect(report.exitStatus == .clean)
    }

    /// The same scenarios, run twice, give byte-identical reports.
    @Test func deterministic() throws {
        for input in Self.inputs("scenario/invalid") + Self.inputs("scenario/valid") {
            #expect(Self.report(input).1 == Self.report(input).1)
        }
    }
}
