import Crypto
import Foundation

/// Deterministic JSON for the IR: keys sorted, no insignificant whitespace in the canonical
/// form. The content hash is the SHA-256 of the canonical form with `contentHash` left out.
public enum IRCoding {
    /// The canonical bytes (hash excluded).
    public static func canonical(_ ir: WorkflowIR) throws -> Data {
        var copy = ir
        copy.contentHash = nil
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(copy)
    }

    /// `sha256:` followed by the hex digest of the canonical form.
    public static func hash(_ ir: WorkflowIR) throws -> String {
        let digest = SHA256.hash(data: try canonical(ir))
        return "sha256:" + digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The IR with its hash filled in.
    public static func sealed(_ ir: WorkflowIR) throws -> WorkflowIR {
        var copy = ir
        copy.contentHash = try hash(ir)
        return copy
    }

    /// Compact deterministic JSON of a sealed IR, as `wfc compile` writes by default: the
    /// canonical form with `contentHash` in its sorted place.
    public static func compact(_ ir: WorkflowIR) throws -> Data {
        let bytes = try canonical(ir)
        guard let hash = ir.contentHash else { return bytes }
        return inserting(hash: hash, into: bytes)
    }

    /// Seals `ir` and gives its compact JSON, encoding it once: the hash is of the canonical
    /// bytes, and the output is those bytes with the hash put in.
    public static func sealedCompact(_ ir: WorkflowIR) throws -> (ir: WorkflowIR, json: Data) {
        var copy = ir
        copy.contentHash = nil
        let bytes = try canonical(copy)
        let hash = "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        copy.contentHash = hash
        return (copy, inserting(hash: hash, into: bytes))
    }

    /// `canonical` (a compact object with sorted keys) with `"contentHash": hash` inserted
    /// before the first top-level key that sorts after it, as the encoder would place it.
    /// Only the first few top-level keys are scanned.
    static func inserting(hash: String, into canonical: Data) -> Data {
        let key = Array("contentHash".utf8)
        let entry = Array("\"contentHash\":\"\(hash)\"".utf8)
        return canonical.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data in
            let b = raw.bindMemory(to: UInt8.self)
            let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
            var depth = 0, i = 0
            var keyAt: Int?
            scan: while i < b.count {
                switch b[i] {
                case quote:
                    let start = i
                    i += 1
                    while i < b.count && b[i] != quote { i += b[i] == backslash ? 2 : 1 }
                    // A string at depth 1 after `{` or `,` is a top-level key.
                    if depth == 1, start > 0, b[start - 1] == UInt8(ascii: "{") || b[start - 1] == UInt8(ascii: ","),
                       key.lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: b[(start + 1)..<min(i, b.count)])) {
                        keyAt = start
                        break scan
                    }
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                i += 1
            }
            var out = Data(capacity: b.count + entry.count + 1)
            if let keyAt {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[..<keyAt]))
                out.append(contentsOf: entry + [UInt8(ascii: ",")])
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[keyAt...]))
            } else {
                // Last: before the closing brace, after a comma unless the object is empty.
                let end = max(b.count - 1, 0)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[..<end]))
                if end > 1 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: entry)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[end...]))
            }
            return out
        }
    }

    /// Pretty, still deterministic, JSON for `wfc compile --pretty`.
    public static func pretty(_ ir: WorkflowIR) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try e.encode(ir)
    }

    public enum LoadError: Error, CustomStringConvertible {
        case malformed(String)
        case unsupportedVersion(Int)
        case hashMismatch(expected: String, actual: String)

        public var description: String {
            switch self {
            case .malformed(let why): "not a wfc IR file: \(why)"
            case .unsupportedVersion(let v): "IR language version \(v) is not supported (this wfc reads \(WorkflowIR.currentLanguageVersion))"
            case .hashMismatch(let e, let a): "the IR's content hash does not match its content (recorded \(e), computed \(a)): the file was edited"
            }
        }
    }

    /// Loads IR JSON and verifies its format, version and hash.
    public static func load(_ data: Data) throws(LoadError) -> WorkflowIR {
        let ir: WorkflowIR
        do {
            ir = try JSONDecoder().decode(WorkflowIR.self, from: data)
        } catch {
            throw .malformed(String(describing: error))
        }
        guard ir.format == "wfc-ir" else { throw .malformed("format is \(ir.format)") }
        guard ir.languageVersion == WorkflowIR.currentLanguageVersion else { throw .unsupportedVersion(ir.languageVersion) }
        if let recorded = ir.contentHash {
            let actual = (try? hash(ir)) ?? ""
            guard recorded == actual else { throw .hashMismatch(expected: recorded, actual: actual) }
        }
        return ir
    }
}
