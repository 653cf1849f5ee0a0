import Foundation
import Testing
import WFCDiagnostics
import WFCDriver
import WFCScenarios
import WFCYAML

/// Golden tests of the YAML loader alone: `yaml/invalid/*.yaml` against `.expected` files.
@Suite struct YAMLGoldenTests {
    @Test(arguments: Golden.inputs("yaml/invalid"))
    func invalid(_ input: URL) throws {
        let file = try Golden.source(input)
        let result = YAMLLoader().load(file)
        #expect(!result.diagnostics.isEmpty, "\(input.lastPathComponent) should produce diagnostics")
        try Golden.compare(Golden.render(result.diagnostics.sortedForOutput(), file), for: input)
        try Golden.compareChinese(result.diagnostics.sortedForOutput(), sources: SourceMap([file]), for: input)
    }

    @Test(arguments: Golden.inputs("yaml/valid"))
    func valid(_ input: URL) throws {
        let file = try Golden.source(input)
        let result = YAMLLoader().load(file)
        #expect(result.diagnostics.isEmpty, "\(Golden.render(result.diagnostics, file))")
        #expect(result.root != nil)
    }
}

/// Every code that files can trigger has at least one golden example.
@Suite struct GoldenCoverage {
    /// Codes that no input file can trigger with default limits; each is tested elsewhere.
    static let exempt: [DiagnosticCode: String] = [
        "WFC0001": "needs an unreadable file; CheckRunnerTests.unreadableFile",
        "WFC0030": "a command-line option (--lang); LanguageTests.anUnknownLangIsACodedUsageError",
        "WFC0010": "needs a .wfc.yaml that is not a regular file; SuppressionTests.configFlagAndUnreadableConfig",
        "WFC1008": "needs an 8 MiB file; CLITests.fileSizeLimit uses --max-file-bytes",
        "WFC6006": "needs a snapshot pinned to another definition; HandoverTests.definitionMismatchIsRefused",
        "WFC3020": "needs a calendar file in a repository of its own; CalendarCommandTests.aCalendarFileOutsideTheRepositoryIsNotRead",
        "WFC3021": "depends on today's date; CalendarCommandTests.checkWarnsSixtyDaysBeforeTheDataEnds uses --today",
        "WFC3016": "needs a directory or device on disk as an import; InputHardeningTests.importsOutsideTheRootAreRefusedAndNothingIsEchoedInAnyFormat",
        "WFC7018": "no `wfc case` command asks for a definition by hash (the HTTP service does); RepositoryConformance.deployVersions",
        "WFC7020": "needs a PostgreSQL server that goes away; PostgresBackendTests.aKilledConnectionIsACodedError, anUnreachableServerIsACodedError",
        "WFC7021": "needs a PostgreSQL server that does not answer in time; PostgresBackendTests.anUnreachableServerIsACodedError",
        "WFC7022": "needs a PostgreSQL database migrated by a newer wfc; PostgresBackendTests.aNewerSchemaIsRefused",
        "WFC7024": "needs a PostgreSQL role without the privilege; PostgresBackendTests.theAppRoleDoesNotMigrate",
        "WFC9001": "an HTTP request; ServerSecurityTests.aPersonWithNoRoleInTheCase",
        "WFC9002": "an HTTP request; ServerStatusTests.everyStatusCode",
        "WFC9003": "an HTTP request; ServerSecurityTests.tokensThatAreRefused",
        "WFC9004": "an HTTP request; ServerStatusTests.everyStatusCode, ServerSecurityTests.actingAsSomeoneElseByABodyField",
        "WFC9005": "an HTTP request; ServerStatusTests.everyStatusCode, ServerSecurityTests.oversizedAndDeeplyNestedBodies",
        "WFC9007": "an HTTP request; ServerStatusTests.everyStatusCode",
        "WFC9008": "a compiled workflow that the runtime refuses to load: a defect, no YAML known to cause it",
        "WFC9009": "a defect in the server; no input causes it",
        "WFC8131": "needs the policy files a plan names on disk; MigrationCLITests.checkProvesPlansAndReportsUnusableVersions",
        "WFC9013": "an HTTP request (the CLI's operator may manage anyone's substitutes); SubstituteServerTests.aSubstituteActsForTheSupervisor",
        "WFC9020": "a web form posted without its CSRF token; WebSecurityTests.aFormWithoutItsCSRFTokenIsRefused",
        "WFC9021": "a missing template file of the web inbox; WebTemplateTests.aMissingTemplateIsACodedError",
        "WFC9022": "a web form field of the wrong type; WebPageTests.theHandoverThroughTheForms",
    ]

    @Test func everyCodeHasAGoldenExample() throws {
        var seen = Set<String>()
        let enumerator = FileManager.default.enumerator(atPath: Golden.root.path)
        while let rel = enumerator?.nextObject() as? String {
            guard rel.hasSuffix(".expected") else { continue }
            let text = try String(contentsOf: Golden.root.appendingPathComponent(rel), encoding: .utf8)
            for code in WFCRegistry.shared.all where text.contains("[\(code.code)]") {
                seen.insert(code.code.rawValue)
            }
        }
        let missing = WFCRegistry.shared.all.map(\.code).filter { !seen.contains($0.rawValue) && Self.exempt[$0] == nil }
        #expect(missing.isEmpty, "codes without a golden example: \(missing.map(\.rawValue))")
    }
}
