import Foundation
import WFCDiagnostics

/// Where `wfc case migrate` takes its plan from: a plan file, or options on the command line.
public enum MigrationPlanSource: Sendable {
    case file(String)
    case inline(InlineMigrationPlan)
}

/// A migration plan given as options (`--old`, `--new`, `--state OLD=NEW`, `--value
/// FIELD=CEL`, `--person ROLE=ID`, `--deadlines`, `--signatures`) instead of a file. It is
/// written out as the YAML plan those options stand for — every scalar double-quoted, so no
/// value is read as YAML syntax — and then read, proved and applied exactly as a plan file in
/// the current folder would be: the same diagnostics, with carets in that text.
public struct InlineMigrationPlan: Sendable, Equatable {
    public var old: String
    public var new: String
    public var states: [String]
    public var values: [String]
    public var people: [String]
    public var deadlines: String?
    public var signatures: String?

    /// The name the written-out plan is shown under, in the current folder (`from`/`to` are
    /// relative to it, as for a plan file there).
    public static let displayName = "command-line.migrate.yaml"

    public init(old: String, new: String, states: [String] = [], values: [String] = [], people: [String] = [], deadlines: String? = nil, signatures: String? = nil) {
        self.old = old
        self.new = new
        self.states = states
        self.values = values
        self.people = people
        self.deadlines = deadlines
        self.signatures = signatures
    }

    /// The plan's YAML text, or the usage problem of an option.
    public func yaml() throws(InlinePlanProblem) -> String {
        var out = "from: \(try Self.quoted(old, "--old"))\nto: \(try Self.quoted(new, "--new"))\n"
        func section(_ key: String, _ option: String, _ entries: [String]) throws(InlinePlanProblem) {
            guard !entries.isEmpty else { return }
            out += "\(key):\n"
            var seen = Set<String>()
            for entry in entries {
                guard let eq = entry.firstIndex(of: "=") else {
                    throw InlinePlanProblem(message: "\(option) \(entry): write NAME=VALUE")
                }
                let name = String(entry[..<eq]).trimmingCharacters(in: .whitespaces)
                let value = String(entry[entry.index(after: eq)...])
                guard !name.isEmpty, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw InlinePlanProblem(message: "\(option) \(entry): both sides of `=` must be given")
                }
                guard seen.insert(name).inserted else { throw InlinePlanProblem(message: "\(option) names `\(name)` twice") }
                out += "  \(try Self.quoted(name, option)): \(try Self.quoted(value, option))\n"
            }
        }
        try section("states", "--state", states)
        try section("values", "--value", values)
        try section("people", "--person", people)
        if let deadlines { out += "deadlines: \(try Self.quoted(deadlines, "--deadlines"))\n" }
        if let signatures { out += "signatures: \(try Self.quoted(signatures, "--signatures"))\n" }
        return out
    }

    /// The written-out plan as a source file in the current folder.
    public func file() throws(InlinePlanProblem) -> SourceFile {
        SourceFile(path: Self.displayName, text: try yaml())
    }

    /// A YAML double-quoted scalar: JSON's string escapes are YAML's too.
    static func quoted(_ text: String, _ option: String) throws(InlinePlanProblem) -> String {
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw InlinePlanProblem(message: "\(option): control characters are not allowed")
        }
        guard let data = try? JSONEncoder().encode(text), let json = String(data: data, encoding: .utf8) else {
            throw InlinePlanProblem(message: "\(option): the value cannot be written")
        }
        return json
    }
}

/// A command-line plan option that cannot be written as a plan (a usage error).
public struct InlinePlanProblem: Error, Sendable {
    public var message: String
}
