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
        Data(canonicalBytes(e))
    }

    /// ``canonical(_:)`` as bytes: written straight into one buffer (hand-written so that the
    /// encoding cannot drift with Codable synthesis; the strings are escaped as
    /// ``jsonString(_:)`` escapes them, byte for byte).
    static func canonicalBytes(_ e: AuditEvent) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + e.outcome.utf8.count + e.payload.utf8.count)
        func key(_ k: StaticString) {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            k.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
        func str(_ s: String?) {
            guard let s else { out.append(contentsOf: "null".utf8); return }
            appendJSONString(s, to: &out)
        }
        // `acting_for` sorts first; it is present only when set (older events have none).
        if let a = e.actingFor { key("acting_for"); str(a) }
        key("actor"); str(e.actor)
        key("case_id"); str(e.caseID)
        key("idempotency_key"); str(e.idempotencyKey)
        key("item"); if let i = e.item { out.append(contentsOf: String(i).utf8) } else { out.append(contentsOf: "null".utf8) }
        key("kind"); str(e.kind.rawValue)
        key("name"); str(e.name)
        key("outcome"); str(e.outcome)
        key("payload"); str(e.payload)
        key("prev_hash"); str(e.prevHash)
        key("role"); str(e.role)
        key("seq"); out.append(contentsOf: String(e.seq).utf8)
        key("time"); str(e.time)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The hex SHA-256 of the canonical encoding.
    public static func hash(_ e: AuditEvent) -> String {
        hex(SHA256.hash(data: canonicalBytes(e)))
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
        var out: [UInt8] = []
        appendJSONString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``jsonString(_:)`` of `s`: `"` and `\\` escaped, `\\n`, `\\r`, `\\t`, every other
    /// control character as `\\u00xx`; runs with nothing to escape are copied whole.
    static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { utf8 in
            out.append(UInt8(ascii: "\""))
            var start = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                start = i + 1
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0x0f)]])
                }
            }
            if start < utf8.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count])) }
            out.append(UInt8(ascii: "\""))
        }
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
