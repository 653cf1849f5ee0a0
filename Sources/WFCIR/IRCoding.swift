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

    /// Compact deterministic JSON with the hash, as `wfc compile` writes by default: the
    /// canonical form plus `contentHash`.
    public static func compact(_ ir: WorkflowIR) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(ir)
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
