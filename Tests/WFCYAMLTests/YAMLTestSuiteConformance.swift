import Foundation
import Testing
import WFCYAML

/// Runs every case of the YAML test suite through the Swift event layer and expects exactly
/// libyaml 0.2.5's recorded results: the passing cases pass, and each known failure fails in
/// its recorded way. Any change is a regression (or an improvement to record).
@Suite struct YAMLTestSuiteConformance {
    struct Case: Decodable {
        var id: String
        var name: String
        var error: Bool
        var in_yaml: String
        var test_event: String?
    }

    enum Outcome: String {
        case pass = "PASS"
        case rejectedValid = "FAIL_rejected_valid"
        case acceptedInvalid = "FAIL_accepted_invalid"
        case eventMismatch = "FAIL_event_mismatch"
    }

    /// Parses all of `yaml`; the event notation, or nil when libyaml rejects it.
    static func events(_ yaml: String) -> String? {
        let parser = YAMLEventParser(bytes: Array(yaml.utf8))
        var out = ""
        do {
            while let e = try parser.next() {
                out += EventNotation.line(e) + "\n"
            }
        } catch {
            return nil
        }
        return out
    }

    static func outcome(_ c: Case) -> Outcome {
        let result = events(c.in_yaml)
        if c.error { return result == nil ? .pass : .acceptedInvalid }
        guard let result else { return .rejectedValid }
        return result == c.test_event ? .pass : .eventMismatch
    }

    @Test func matchesLibyamlRecordedResults() throws {
        guard let shared = SharedData.directory else {
            Issue.record("../shared/conformance is missing: the YAML test suite did not run")
            return
        }
        let dir = shared.appendingPathComponent("conformance/yaml-test-suite")
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: dir.appendingPathComponent("bundle.json")))
        let tsv = try String(contentsOf: dir.appendingPathComponent("libyaml-0.2.5-known-failures.tsv"), encoding: .utf8)
        var known: [String: String] = [:]
        for line in tsv.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            if cols.count >= 2 { known[String(cols[0])] = String(cols[1]) }
        }
        #expect(cases.count == 402)
        var passed = 0
        var failedAsRecorded = 0
        var regressions: [String] = []
        for c in cases {
            let got = Self.outcome(c)
            let expected = known[c.id] ?? Outcome.pass.rawValue
            if got.rawValue == expected {
                if got == .pass { passed += 1 } else { failedAsRecorded += 1 }
            } else {
                regressions.append("\(c.id) (\(c.name)): expected \(expected), got \(got.rawValue)")
            }
        }
        print("yaml-test-suite: \(passed) passed, \(failedAsRecorded) failed as libyaml 0.2.5 records, \(regressions.count) differ")
        #expect(regressions.isEmpty, "\(regressions.joined(separator: "\n"))")
        #expect(passed == 330)
        #expect(failedAsRecorded == 72)
    }
}

/// The yaml-test-suite's event notation (`+MAP {} &a <tag>`, `=VAL :text`, …), written as
/// libyaml's own test harness writes it.
enum EventNotation {
    static func line(_ e: YAMLEvent) -> String {
        switch e.kind {
        case .streamStart: return "+STR"
        case .streamEnd: return "-STR"
        case .documentStart(let implicit): return implicit ? "+DOC" : "+DOC ---"
        case .documentEnd(let implicit): return implicit ? "-DOC" : "-DOC ..."
        case .alias(let a): return "=ALI *\(a)"
        case .sequenceStart(let anchor, let tag, _, let flow):
            return "+SEQ" + (flow ? " []" : "") + props(anchor, tag)
        case .sequenceEnd: return "-SEQ"
        case .mappingStart(let anchor, let tag, _, let flow):
            return "+MAP" + (flow ? " {}" : "") + props(anchor, tag)
        case .mappingEnd: return "-MAP"
        case .scalar(let value, let anchor, let tag, let style, _, _):
            let indicator: String
            switch style {
            case .plain: indicator = ":"
            case .singleQuoted: indicator = "'"
            case .doubleQuoted: indicator = "\""
            case .literal: indicator = "|"
            case .folded: indicator = ">"
            }
            return "=VAL" + props(anchor, tag) + " " + indicator + escape(value)
        }
    }

    static func props(_ anchor: String?, _ tag: String?) -> String {
        var s = ""
        if let anchor { s += " &\(anchor)" }
        if let tag { s += " <\(tag)>" }
        return s
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\0": out += "\\0"
            case "\u{08}": out += "\\b"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
