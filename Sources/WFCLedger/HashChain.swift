import Crypto
import Foundation
import WFCIR
import WFCRuntime

/// The audit log's hash chain: each event's hash is the SHA-256 of its canonical encoding —
/// sorted-key JSON of every field, `prev_hash` included — so editing, removing or reordering
/// a row breaks the chain from that row on.
public enum HashChain {
    /// The `prev_hash` of a case's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical bytes of `e` (its `hash` excluded, `prevHash` included). Absent values are
    /// encoded as `null`, so that every field is always covered.
    public static func canonical(_ e: AuditEvent) -> Data {
        // Hand-written so that the encoding cannot drift with Codable synthesis.
        func str(_ s: String?) -> String {
            guard let s else { return "null" }
            return jsonString(s)
        }
        // `acting_for` sorts first; it is present only when set (older events have none).
        let acting: [(String, String)] = e.actingFor.map { [("acting_for", str($0))] } ?? []
        let fields: [(String, String)] = acting + [
            ("actor", str(e.actor)),
            ("case_id", str(e.caseID)),
            ("idempotency_key", str(e.idempotencyKey)),
            ("item", e.item.map(String.init) ?? "null"),
            ("kind", str(e.kind.rawValue)),
            ("name", str(e.name)),
            ("outcome", str(e.outcome)),
            ("payload", str(e.payload)),
            ("prev_hash", str(e.prevHash)),
            ("role", str(e.role)),
            ("seq", String(e.seq)),
            ("time", str(e.time)),
        ]
        return Data(("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
    }

    /// The hex SHA-256 of the canonical encoding.
    public static func hash(_ e: AuditEvent) -> String {
        hex(SHA256.hash(data: canonical(e)))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 (hex) of arbitrary bytes (snapshot JSON).
    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// SHA-256 (hex) of a byte array (snapshot JSON as ``CaseSnapshot/canonicalJSON()`` writes it).
    public static func sha256(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// A JSON string literal: quotes, backslashes and control characters escaped, everything
    /// else (Chinese text included) as UTF-8.
    static func jsonString(_ s: String) -> String {
        // Nothing to escape (the loop below would copy every scalar): the common case.
        if CanonicalJSON.isPlain(s) { return "\"" + s + "\"" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
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
}

/// Deterministic JSON for what the ledger writes: sorted keys, no escaped slashes.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T) throws(StoreError) -> String {
        try encoded(value)
    }

    /// ``encode(_:)`` of a list of strings, written directly when every string is plain (see
    /// ``isPlain(_:)``): the same bytes as the encoder's, without its setup (active states and
    /// task events are encoded at every step).
    public static func encode(_ strings: [String]) throws(StoreError) -> String {
        guard strings.allSatisfy(isPlain) else { return try encoded(strings) }
        var out = "["
        for (i, s) in strings.enumerated() {
            if i > 0 { out += "," }
            out += "\"" + s + "\""
        }
        return out + "]"
    }

    /// ``encode(_:)`` of an outcome, written directly when it has no refusal and its strings are
    /// plain: the same bytes as the encoder's (keys sorted: active, result, snapshotHash,
    /// status, version; `refusal` and `note` are left out when nil, as the synthesized coding
    /// does; an outcome with either goes through the encoder).
    public static func encode(_ o: EventOutcome) throws(StoreError) -> String {
        guard o.refusal == nil, o.note == nil, isPlain(o.result), isPlain(o.status), isPlain(o.snapshotHash), o.active.allSatisfy(isPlain) else {
            return try encoded(o)
        }
        return "{\"active\":" + (try encode(o.active)) + ",\"result\":\"" + o.result + "\",\"snapshotHash\":\"" + o.snapshotHash
            + "\",\"status\":\"" + o.status + "\",\"version\":" + String(o.version) + "}"
    }

    /// ``encode(_:)`` of an outbox effect, written directly for the effects most steps have (a
    /// task opened, the case finished): the encoder's bytes for the synthesized enum coding —
    /// the case name as the one key, the associated values in an object by label (`_0` when
    /// unlabelled), an absent `item` left out. Escalations and violations (rare) go through
    /// the encoder.
    public static func encode(_ e: Effect) throws(StoreError) -> String {
        var w = JSONWriter(capacity: 256)
        switch e {
        case .taskOpened(let state, let item, let events, let roles, let people):
            w.raw("{\"taskOpened\":{")
            w.key("events", first: true); w.strings(events)
            if let item { w.key("item"); w.int(item) }
            w.key("people"); w.strings(people)
            w.key("roles"); w.strings(roles)
            w.key("state"); w.string(state)
            w.raw("}}")
        case .caseFinished(let status):
            w.raw("{\"caseFinished\":{\"_0\":")
            w.string(status.rawValue)
            w.raw("}}")
        case .escalation, .violation, .reminder, .copied:
            return try encoded(e)
        }
        return w.text
    }

    /// ``encode(_:)`` of case data (an event's payload), written directly: the encoder's bytes.
    public static func encode(_ data: [String: ValueIR]) throws(StoreError) -> String {
        var w = JSONWriter(capacity: 256)
        do { try w.object(data) { w, v in try w.value(v) } } catch { throw .invalidArgument("cannot encode as JSON: \(error)") }
        return w.text
    }

    /// Whether JSON writes `s` as it is between quotes: printable ASCII without `"` and `\`
    /// (`/` is not escaped in canonical JSON).
    static func isPlain(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    static func encoded(_ value: any Encodable) throws(StoreError) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try e.encode(value), as: UTF8.self)
        } catch {
            throw .invalidArgument("cannot encode as JSON: \(error)")
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws(StoreError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw .corrupt("\(what) does not decode: \(error)")
        }
    }
}

/// The stored form of a start payload.
struct StartPayload: Codable {
    var data: [String: ValueIR]
    var people: [String: String]
}
