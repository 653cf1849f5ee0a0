import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import WFCRuntime

/// A signed record of every case's chain head at one moment (`wfc case checkpoint`).
///
/// The hash chain shows edits of single rows, but someone who can write the store can remove
/// trailing events or rewrite a whole chain and recompute every hash. A checkpoint signed with
/// an Ed25519 key kept outside the store pins each head (`seq`, `head_hash`) and the pinned
/// definition: ``Ledger/verify(_:checkpoint:)`` then proves that the log still holds
/// exactly those events up to that head. It cannot protect against whoever holds the signing
/// key, nor events after the last checkpoint (see docs/store.md).
public struct Checkpoint: Codable, Equatable, Sendable {
    /// One case's chain head.
    public struct Head: Codable, Equatable, Sendable {
        public var caseID: String
        public var seq: Int
        public var headHash: String
        public var definitionHash: String

        public init(caseID: String, seq: Int, headHash: String, definitionHash: String) {
            self.caseID = caseID
            self.seq = seq
            self.headHash = headHash
            self.definitionHash = definitionHash
        }

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id", seq, headHash = "head_hash", definitionHash = "definition_hash"
        }
    }

    /// The format this wfc writes and reads.
    public static let currentFormat = "wfc-checkpoint/1"

    public var format: String
    /// RFC 3339 UTC.
    public var createdAt: String
    /// The signer's Ed25519 public key, base64 of its 32 bytes (informative: verify checks
    /// against the public key it is given, never against this one alone).
    public var publicKey: String
    /// Sorted by case id.
    public var cases: [Head]
    /// Base64 Ed25519 signature of ``signedBytes``.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case format, createdAt = "created_at", publicKey = "public_key", cases, signature
    }

    /// The canonical bytes the signature covers: every field but the signature, as sorted-key
    /// JSON written by hand so that the encoding cannot drift.
    public var signedBytes: Data {
        let heads = cases.map { h in
            "{\"case_id\":\(HashChain.jsonString(h.caseID)),\"definition_hash\":\(HashChain.jsonString(h.definitionHash)),"
                + "\"head_hash\":\(HashChain.jsonString(h.headHash)),\"seq\":\(h.seq)}"
        }
        let text = "{\"cases\":[\(heads.joined(separator: ","))],\"created_at\":\(HashChain.jsonString(createdAt)),"
            + "\"format\":\(HashChain.jsonString(format)),\"public_key\":\(HashChain.jsonString(publicKey))}"
        return Data(text.utf8)
    }

    /// Signs `heads` with `key`.
    public static func sign(_ heads: [Head], key: Curve25519.Signing.PrivateKey, at time: Date) throws(StoreError) -> Checkpoint {
        var c = Checkpoint(format: currentFormat, createdAt: Timestamp(time).description,
                           publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                           cases: heads.sorted { $0.caseID < $1.caseID }, signature: "")
        do {
            c.signature = try key.signature(for: c.signedBytes).base64EncodedString()
        } catch {
            throw .checkpointInvalid("cannot sign the checkpoint: \(error)")
        }
        return c
    }

    /// Reads a checkpoint file's content.
    public static func decode(_ data: Data, file: String) throws(StoreError) -> Checkpoint {
        let c: Checkpoint
        do { c = try JSONDecoder().decode(Checkpoint.self, from: data) } catch {
            throw .checkpointInvalid("\(file) is not a wfc checkpoint: \(error)")
        }
        guard c.format == currentFormat else {
            throw .checkpointInvalid("\(file) has format `\(StoredText.escaped(c.format))`; this wfc reads `\(currentFormat)`")
        }
        return c
    }

    /// The file's text: JSON, one case a line.
    public func encoded() -> String {
        func j(_ s: String) -> String { HashChain.jsonString(s) }
        let heads = cases.map { h in
            "    {\"case_id\": \(j(h.caseID)), \"seq\": \(h.seq), \"head_hash\": \(j(h.headHash)), \"definition_hash\": \(j(h.definitionHash))}"
        }
        return "{\n  \"format\": \(j(format)),\n  \"created_at\": \(j(createdAt)),\n  \"public_key\": \(j(publicKey)),\n"
            + "  \"cases\": [\n\(heads.joined(separator: ",\n"))\n  ],\n  \"signature\": \(j(signature))\n}\n"
    }

    /// Throws unless the signature is `publicKey`'s over this checkpoint's content.
    public func checkSignature(_ publicKey: Curve25519.Signing.PublicKey, file: String) throws(StoreError) {
        guard publicKey.rawRepresentation.base64EncodedString() == self.publicKey else {
            throw .checkpointInvalid("\(file) was signed by another key, not by the public key given")
        }
        guard let sig = Data(base64Encoded: signature), publicKey.isValidSignature(sig, for: signedBytes) else {
            throw .checkpointInvalid("the signature of \(file) does not verify: the checkpoint was changed after it was signed")
        }
    }
}

/// Ed25519 key files for checkpoints: the private key (`wfc-ed25519-private-key BASE64`,
/// mode 0600) and the public key (`wfc-ed25519-public-key BASE64`).
public enum CheckpointKeys {
    static let privateTag = "wfc-ed25519-private-key"
    static let publicTag = "wfc-ed25519-public-key"

    /// Creates a new key pair: `file` (the private key, created with mode 0600, never
    /// overwriting) and `file.pub`. Returns the public key file's path.
    public static func create(_ file: String) throws(StoreError) -> String {
        let key = Curve25519.Signing.PrivateKey()
        let pubFile = file + ".pub"
        for f in [file, pubFile] where FileManager.default.fileExists(atPath: f) {
            throw .checkpointInvalid("\(f) exists; a key file is never overwritten (choose another name)")
        }
        try writeFile(file, "\(privateTag) \(key.rawRepresentation.base64EncodedString())\n", mode: 0o600)
        try writeFile(pubFile, "\(publicTag) \(key.publicKey.rawRepresentation.base64EncodedString())\n", mode: 0o644)
        return pubFile
    }

    /// The private key in `file`; refused when others may read the file.
    public static func loadPrivate(_ file: String) throws(StoreError) -> Curve25519.Signing.PrivateKey {
        if let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw .checkpointInvalid("\(file) may be read by others (mode \(String(mode & 0o777, radix: 8))); `chmod 600 \(file)` first")
        }
        let raw = try read(file, tag: privateTag)
        do { return try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
            throw .checkpointInvalid("\(file) does not hold an Ed25519 private key")
        }
    }

    /// The public key in `file` (the `.pub` file, or the bare base64 key).
    public static func loadPublic(_ file: String) throws(StoreError) -> Curve25519.Signing.PublicKey {
        let raw = try read(file, tag: publicTag)
        do { return try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch {
            throw .checkpointInvalid("\(file) does not hold an Ed25519 public key")
        }
    }

    static func read(_ file: String, tag: String) throws(StoreError) -> Data {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw .checkpointInvalid("cannot read the key file \(file): \(error.localizedDescription)")
        }
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).map(String.init)
        if words.count == 2, words[0] == tag { words.removeFirst() }
        guard words.count == 1, let raw = Data(base64Encoded: words[0]), raw.count == 32 else {
            throw .checkpointInvalid("\(file) is not a key file (expected `\(tag) BASE64`)")
        }
        return raw
    }

    static func writeFile(_ file: String, _ text: String, mode: mode_t) throws(StoreError) {
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw .checkpointInvalid("cannot create \(file): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fchmod(fd, mode) == 0 else {
            throw .checkpointInvalid("cannot write \(file): \(String(cString: strerror(errno)))")
        }
    }
}
