import Crypto
import Foundation
import Testing
import WFCLedger

/// The chain's canonical bytes are a stored format: every log ever written hashes with them.
/// The byte writer must agree with the earlier scalar-by-scalar writer (kept here as the
/// reference) on every kind of text, and a fixed event keeps its fixed hash.
@Suite struct HashChainTests {
    /// The writer the chain was defined with (before the byte writer), unchanged.
    static func reference(_ e: AuditEvent) -> Data {
        func jsonString(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where u.value < 0x20:
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                default: out.unicodeScalars.append(u)
                }
            }
            return out + "\""
        }
        func str(_ s: String?) -> String { s.map(jsonString) ?? "null" }
        let acting: [(String, String)] = e.actingFor.map { [("acting_for", str($0))] } ?? []
        let fields: [(String, String)] = acting + [
            ("actor", str(e.actor)), ("case_id", str(e.caseID)), ("idempotency_key", str(e.idempotencyKey)),
            ("item", e.item.map(String.init) ?? "null"), ("kind", str(e.kind.rawValue)), ("name", str(e.name)),
            ("outcome", str(e.outcome)), ("payload", str(e.payload)), ("prev_hash", str(e.prevHash)), ("role", str(e.role)),
            ("seq", String(e.seq)), ("time", str(e.time)),
        ]
        return Data(("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
    }

    static let texts = ["", "plain", "say \"hi\"", "back\\slash", "line\nbreak", "cr\rtab\t", "\u{1}\u{8}\u{c}\u{1f}", "del\u{7f}",
                        "交接人 张三", "emoji 🧾 e\u{301}", "/slash/", "{\"active\":[\"a\"],\"result\":\"accepted\"}", "\\u0041"]

    @Test func theByteWriterAgreesWithTheReferenceOnEveryKindOfText() {
        for (i, t) in Self.texts.enumerated() {
            let other = Self.texts[(i + 3) % Self.texts.count]
            let events = [
                AuditEvent(caseID: t, seq: i, kind: .event, name: other, actor: t, role: other, item: i % 2 == 0 ? nil : i, payload: t,
                           idempotencyKey: i % 3 == 0 ? nil : other, time: t, outcome: other, prevHash: t, hash: "ignored"),
                AuditEvent(caseID: "C", seq: 1, kind: .refused, name: t, actor: nil, role: nil, item: -i, payload: other,
                           idempotencyKey: t, time: other, outcome: t, prevHash: other, hash: "", actingFor: t),
            ]
            for e in events {
                #expect(HashChain.canonical(e) == Self.reference(e), "text #\(i)")
                #expect(HashChain.hash(e) == SHA256.hash(data: Self.reference(e)).map { String(format: "%02x", $0) }.joined())
            }
        }
    }

    @Test func aFixedEventKeepsItsHash() {
        let e = AuditEvent(caseID: "C1", seq: 2, kind: .event, name: "sign", actor: "alice", role: nil, item: nil, payload: "{}",
                           idempotencyKey: nil, time: "2025-09-26T02:00:00Z", outcome: "{\"result\":\"accepted\"}", prevHash: HashChain.genesis, hash: "")
        #expect(String(decoding: HashChain.canonical(e), as: UTF8.self)
                == #"{"actor":"alice","case_id":"C1","idempotency_key":null,"item":null,"kind":"event","name":"sign","outcome":"{\"result\":\"accepted\"}","payload":"{}","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","role":null,"seq":2,"time":"2025-09-26T02:00:00Z"}"#)
        #expect(HashChain.hash(e) == "2e579e4cb556ba00d692e76cfb4403d2feb85bc688a86ecf79b2283f8dcf874a")
    }
}
