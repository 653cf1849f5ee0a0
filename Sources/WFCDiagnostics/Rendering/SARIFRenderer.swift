import Foundation

/// Renders diagnostics as a SARIF 2.1.0 log that GitHub code scanning accepts: rules in
/// `tool.driver.rules`, `columnKind: unicodeCodePoints`, URIs relative to the working directory
/// under the `%SRCROOT%` base, and a stable partial fingerprint per result.
public struct SARIFRenderer: Sendable {
    public var toolName: String
    public var toolVersion: String
    public var informationURI: String
    /// Absolute path of the directory that relative URIs are relative to.
    public var workingDirectory: String
    public var registry: DiagnosticRegistry

    public init(toolName: String = "wfc", toolVersion: String, informationURI: String,
                workingDirectory: String, registry: DiagnosticRegistry) {
        self.toolName = toolName
        self.toolVersion = toolVersion
        self.informationURI = informationURI
        self.workingDirectory = workingDirectory
        self.registry = registry
    }

    struct Message: Encodable { var text: String; var markdown: String? = nil }
    struct ArtifactLocation: Encodable { var uri: String; var uriBaseId: String? }
    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int
        var endColumn: Int
        var byteOffset: Int
        var byteLength: Int
    }
    struct PhysicalLocation: Encodable { var artifactLocation: ArtifactLocation; var region: Region? }
    struct Location: Encodable { var id: Int? = nil; var physicalLocation: PhysicalLocation; var message: Message? = nil }
    struct DeletedRegion: Encodable { var byteOffset: Int; var byteLength: Int }
    struct Replacement: Encodable { var deletedRegion: DeletedRegion; var insertedContent: Message }
    struct ArtifactChange: Encodable { var artifactLocation: ArtifactLocation; var replacements: [Replacement] }
    struct Fix: Encodable { var description: Message; var artifactChanges: [ArtifactChange] }
    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
        var relatedLocations: [Location]?
        var partialFingerprints: [String: String]
        var fixes: [Fix]?
        var suppressions: [SARIFSuppression]?
    }
    /// SARIF §3.35: a result the author chose to suppress, and why.
    struct SARIFSuppression: Encodable {
        var kind: String
        var status: String
        var justification: String
        var location: Location?
    }
    struct Configuration: Encodable { var level: String }
    struct RuleProperties: Encodable { var tags: [String]; var precision: String }
    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
        var properties: RuleProperties
    }
    struct Driver: Encodable {
        var name: String
        var version: String
        var semanticVersion: String
        var informationUri: String
        var rules: [Rule]
    }
    struct Tool: Encodable { var driver: Driver }
    struct BaseURI: Encodable { var uri: String }
    struct Run: Encodable {
        var tool: Tool
        var originalUriBaseIds: [String: BaseURI]
        var columnKind: String
        var results: [Result]
    }
    struct Log: Encodable {
        var schema: String
        var version: String
        var runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    public func render(_ diagnostics: [Diagnostic], sources: SourceMap) -> String {
        let descriptors = registry.all
        var ruleIndex: [DiagnosticCode: Int] = [:]
        for (i, d) in descriptors.enumerated() { ruleIndex[d.code] = i }
        let rules = descriptors.map { d in
            Rule(
                id: d.code.rawValue, name: camelCase(d.name),
                shortDescription: Message(text: d.summary),
                fullDescription: Message(text: d.explanation.trimmingTrailingNewlines()),
                help: Message(
                    text: "\(d.summary)\n\n\(d.exampleLabels.example):\n\(d.example)\n\(d.exampleLabels.fix):\n\(d.fix)",
                    markdown: "\(d.summary)\n\n\(d.exampleLabels.example):\n```yaml\n\(d.example.trimmingTrailingNewlines())\n```\n\n\(d.exampleLabels.fix):\n```yaml\n\(d.fix.trimmingTrailingNewlines())\n```"),
                defaultConfiguration: Configuration(level: level(d.severity)),
                properties: RuleProperties(tags: ["wfc", phaseTag(d.code)], precision: "very-high"))
        }
        let results = diagnostics.map { d -> Result in
            var message = d.message
            if let h = d.help { message += "\nhelp: \(h)" }
            for n in d.notes { message += "\nnote: \(n)" }
            let related = d.secondary.enumerated().map { i, l in
                Location(id: i + 1, physicalLocation: physical(l.span, sources), message: Message(text: l.message.isEmpty ? "related location" : l.message))
            }
            let fixes = d.fixIts.map { f in
                Fix(description: Message(text: f.message), artifactChanges: [
                    ArtifactChange(artifactLocation: artifact(f.span.file), replacements: [
                        Replacement(deletedRegion: DeletedRegion(byteOffset: f.span.start, byteLength: f.span.end - f.span.start),
                                    insertedContent: Message(text: f.replacement)),
                    ]),
                ])
            }
            return Result(
                ruleId: d.code.rawValue, ruleIndex: ruleIndex[d.code], level: level(d.severity),
                message: Message(text: message),
                locations: d.primary.span.isUnlocated ? [] : [Location(physicalLocation: physical(d.primary.span, sources))],
                relatedLocations: related.isEmpty ? nil : related,
                partialFingerprints: ["wfc/v1": fingerprint(d, sources)],
                fixes: fixes.isEmpty ? nil : fixes,
                suppressions: d.suppression.map { s in
                    [SARIFSuppression(kind: s.kind.rawValue, status: "accepted", justification: s.justification,
                                      location: s.location.map { Location(physicalLocation: physical($0, sources)) })]
                })
        }
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        let log = Log(
            schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0",
            runs: [Run(
                tool: Tool(driver: Driver(name: toolName, version: toolVersion, semanticVersion: toolVersion, informationUri: informationURI, rules: rules)),
                originalUriBaseIds: ["%SRCROOT%": BaseURI(uri: "file://" + percentEncode(base))],
                columnKind: "unicodeCodePoints", results: results)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(log) else { return "" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func physical(_ span: SourceSpan, _ sources: SourceMap) -> PhysicalLocation {
        var region: Region?
        if let f = sources[span.file] {
            let s = f.lineColumn(of: span.start)
            let e = f.lineColumn(of: span.end)
            region = Region(startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column,
                            byteOffset: span.start, byteLength: span.end - span.start)
        }
        return PhysicalLocation(artifactLocation: artifact(span.file), region: region)
    }

    private func artifact(_ path: String) -> ArtifactLocation {
        var p = path
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        if p.hasPrefix(base) { p = String(p.dropFirst(base.count)) }
        while p.hasPrefix("./") { p = String(p.dropFirst(2)) }
        if p.hasPrefix("/") {
            return ArtifactLocation(uri: "file://" + percentEncode(p), uriBaseId: nil)
        }
        return ArtifactLocation(uri: percentEncode(p), uriBaseId: "%SRCROOT%")
    }

    /// Stable across runs and unrelated edits: code, file and the primary line's text.
    private func fingerprint(_ d: Diagnostic, _ sources: SourceMap) -> String {
        var text = d.code.rawValue + "\u{0}" + d.file + "\u{0}"
        if let f = sources[d.file] {
            text += f.lineText(f.lineIndex(of: d.primary.span.start)).trimmingCharacters(in: .whitespaces)
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private func level(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    private func phaseTag(_ code: DiagnosticCode) -> String {
        DiagnosticPhase.of(code)?.tag ?? "other"
    }

    private func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "-")
        guard let first = parts.first else { return name }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
