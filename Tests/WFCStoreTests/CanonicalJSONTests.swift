import Foundation
import Testing
import WFCStore

/// The directly written canonical JSON of string lists and outcomes is byte for byte the
/// encoder's (the hash chain covers these bytes).
@Suite struct CanonicalJSONTests {
    static func reference<T: Encodable>(_ v: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(v), as: UTF8.self)
    }

    static let printable = (0x20..<0x7f).map { String(UnicodeScalar(UInt8($0))) }
    static let awkward = ["", "a\"b", "back\\slash", "line\nbreak", "tab\t", "\u{7f}", "\u{1b}[31m", "客户资料", "\u{2028}", "a/b", "é", "e\u{301}"]

    @Test func stringListsMatchTheEncoder() throws {
        var lists: [[String]] = [[], ["review"], ["execute", "execute/branch-1", "sign_off"], Self.printable, [Self.printable.joined()]]
        lists += Self.awkward.map { ["plain", $0] }
        for l in lists {
            #expect(try CanonicalJSON.encode(l) == Self.reference(l), "\(l)")
        }
    }

    @Test func outcomesMatchTheEncoder() throws {
        let hash = String(repeating: "ab", count: 32)
        var texts = [
            #"{"result":"accepted","version":7,"status":"running","active":["execute","review"],"snapshotHash":"\#(hash)"}"#,
            #"{"result":"accepted","version":0,"status":"completed","active":[],"snapshotHash":"\#(hash)"}"#,
            #"{"result":"refused","version":-1,"status":"running","active":["a"],"snapshotHash":"x","refusal":{"kind":"notAuthorized","message":"no","details":["d"]}}"#,
        ]
        texts += Self.awkward.map { #"{"result":"accepted","version":3,"status":"running","active":["\#($0.unicodeScalars.map { "\\u" + String(format: "%04x", $0.value) }.joined())"],"snapshotHash":"h"}"# }
        for t in texts {
            let o = try JSONDecoder().decode(EventOutcome.self, from: Data(t.utf8))
            #expect(try CanonicalJSON.encode(o) == Self.reference(o), "\(t)")
        }
    }
}
