import Foundation
import Synchronization
import JWTKit
import WFCService

/// The claims wfc reads from a bearer token.
public struct AccessClaims: JWTPayload, Equatable {
    /// The person id the policy binds to roles.
    public var sub: SubjectClaim
    public var exp: ExpirationClaim
    public var nbf: NotBeforeClaim?
    public var iat: IssuedAtClaim?
    public var iss: IssuerClaim?
    public var aud: AudienceClaim?
    /// Space-separated: `admin`, `cases:start`.
    public var scope: String?

    public init(sub: String, expires: Date, notBefore: Date? = nil, issuedAt: Date? = nil, issuer: String? = nil, audience: String? = nil, scopes: [String] = []) {
        self.sub = SubjectClaim(value: sub)
        exp = ExpirationClaim(value: expires)
        nbf = notBefore.map { NotBeforeClaim(value: $0) }
        iat = issuedAt.map { IssuedAtClaim(value: $0) }
        iss = issuer.map { IssuerClaim(value: $0) }
        aud = audience.map { AudienceClaim(value: [$0]) }
        scope = scopes.isEmpty ? nil : scopes.joined(separator: " ")
    }

    /// Called by jwt-kit after the signature verified: the token must be current.
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}

/// Why a key configuration cannot be used (`wfc serve` and `wfc token issue` report it).
public struct IdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Verifies bearer tokens against the configured keys: the embedded HS256 secret, or the
/// EdDSA/RS256 public keys of a JWKS or PEM file. A token must name the algorithm of the key
/// that checks it (`alg: none` and every other algorithm are refused before any signature
/// check), be signed by that key, be current (`exp`, `nbf`), and carry the configured issuer
/// and audience when those are set.
public struct TokenVerifier: Sendable {
    let keys: JWTKeyCollection
    /// Shared by copies of this verifier (made for its keys, issuer and audience).
    let cache = VerifiedTokenCache()
    /// The algorithm of each key by key id; `""` is the key used for a token without `kid`.
    let algorithms: [String: String]
    public var issuer: String?
    public var audience: String?

    /// A verifier for the embedded HS256 secret.
    public static func hmac(secret: [UInt8], issuer: String? = nil, audience: String? = nil) async -> TokenVerifier {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return TokenVerifier(keys: keys, algorithms: ["": "HS256"], issuer: issuer, audience: audience)
    }

    /// A verifier for the public keys in `file`: a JWKS (`{"keys": [...]}`, each key with a
    /// `kid`; OKP keys are EdDSA, RSA keys RS256) or PEM public keys (Ed25519 or RSA). With
    /// one key, a token without `kid` is checked with it.
    public static func publicKeys(file: String, issuer: String? = nil, audience: String? = nil) async throws(IdentityError) -> TokenVerifier {
        guard let data = FileManager.default.contents(atPath: file), data.count <= 1 << 20 else {
            throw IdentityError("cannot read the key file \(file) (missing, unreadable or over 1 MiB)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let keys = JWTKeyCollection()
        var algorithms: [String: String] = [:]
        do {
            if text.contains("-----BEGIN") {
                let blocks = text.components(separatedBy: "-----BEGIN ").dropFirst().map { "-----BEGIN " + $0 }
                for (i, pem) in blocks.enumerated() {
                    let kid = "pem-\(i)"
                    if let ed = try? EdDSA.PublicKey(pem: pem) {
                        await keys.add(eddsa: ed, kid: JWKIdentifier(string: kid))
                        algorithms[kid] = "EdDSA"
                    } else if let rsa = try? Insecure.RSA.PublicKey(pem: pem) {
                        await keys.add(rsa: rsa, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
                        algorithms[kid] = "RS256"
                    } else {
                        throw IdentityError("\(file): PEM block \(i + 1) is neither an Ed25519 nor an RSA public key")
                    }
                }
            } else {
                let jwks = try JSONDecoder().decode(JWKS.self, from: data)
                for var jwk in jwks.keys {
                    guard let kid = jwk.keyIdentifier?.string, !kid.isEmpty else { throw IdentityError("\(file): every key of a JWKS needs a `kid`") }
                    if jwk.algorithm == nil { jwk.algorithm = jwk.keyType == .octetKeyPair ? .eddsa : jwk.keyType == .rsa ? .rs256 : nil }
                    guard let alg = jwk.algorithm, alg == .eddsa || alg == .rs256 else {
                        throw IdentityError("\(file): key `\(kid)` is not an EdDSA or RS256 key; only those are accepted")
                    }
                    guard jwk.privateExponent == nil else { throw IdentityError("\(file): key `\(kid)` holds a private key; give the server public keys only") }
                    try await keys.add(jwk: jwk)
                    algorithms[kid] = alg.rawValue
                }
            }
        } catch let e as IdentityError {
            throw e
        } catch {
            throw IdentityError("\(file) is neither a JWKS nor PEM public keys: \(error)")
        }
        guard !algorithms.isEmpty else { throw IdentityError("\(file) holds no keys") }
        if algorithms.count == 1, let only = algorithms.values.first { algorithms[""] = only }
        return TokenVerifier(keys: keys, algorithms: algorithms, issuer: issuer, audience: audience)
    }

    /// The person and scopes of a valid token, or why it is refused (and the person it
    /// claims, unverified, for the log).
    public func verify(_ token: String) async -> Result<Principal, TokenRefusal> {
        await verified(token).map(\.principal)
    }

    /// ``verify(_:)`` with the token's expiry (`exp`), which caps a web session signed in with it.
    public func verified(_ token: String) async -> Result<VerifiedToken, TokenRefusal> {
        if let known = cache.lookup(token, now: Date()) { return .success(known) }
        let claimed: (header: JWTHeader, payload: AccessClaims)
        do {
            let parsed = try DefaultJWTParser().parse([UInt8](token.utf8), as: AccessClaims.self)
            claimed = (parsed.header, parsed.payload)
        } catch {
            return .failure(TokenRefusal(reason: "the token is not a well-formed JWT with `sub` and `exp`", claimedPerson: nil))
        }
        let person = claimed.payload.sub.value
        let kid = claimed.header.kid ?? ""
        guard let expected = algorithms[kid] else {
            return .failure(TokenRefusal(reason: kid.isEmpty ? "the token names no key (`kid`)" : "unknown key id `\(kid)`", claimedPerson: person))
        }
        let alg = claimed.header.alg ?? "none"
        guard alg == expected else {
            return .failure(TokenRefusal(reason: "algorithm `\(alg)` is not accepted (this key is \(expected))", claimedPerson: person))
        }
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch let e as JWTError where e.errorType == .claimVerificationFailure {
            return .failure(TokenRefusal(reason: "the token is expired or not yet valid", claimedPerson: person))
        } catch {
            return .failure(TokenRefusal(reason: "the signature does not verify", claimedPerson: person))
        }
        if let issuer, claims.iss?.value != issuer {
            return .failure(TokenRefusal(reason: "the issuer is `\(claims.iss?.value ?? "none")`, not `\(issuer)`", claimedPerson: person))
        }
        if let audience, !(claims.aud?.value.contains(audience) ?? false) {
            return .failure(TokenRefusal(reason: "the token is not for the audience `\(audience)`", claimedPerson: person))
        }
        guard !person.isEmpty, person.count <= 200, !person.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return .failure(TokenRefusal(reason: "the subject is not a usable person id", claimedPerson: nil))
        }
        let scopes = Set((claims.scope ?? "").split(separator: " ").map(String.init))
        let verified = VerifiedToken(principal: Principal(person: person, scopes: scopes), expires: claims.exp.value)
        cache.remember(token, verified)
        return .success(verified)
    }
}

/// Tokens that verified, each until its expiry: a client sends the same token with every
/// request, and parsing it twice and checking its signature was the largest part of a
/// request's own work after the step. A token once valid stays valid until `exp` (its `nbf`
/// has passed; the keys, issuer and audience are the verifier's, fixed). Refusals are not kept:
/// each is checked, logged and chained again.
final class VerifiedTokenCache: Sendable {
    private let entries = Mutex<[String: VerifiedToken]>([:])
    /// Enough for every person of a large company at once; past it the cache starts afresh.
    let limit = 8192

    func lookup(_ token: String, now: Date) -> VerifiedToken? {
        entries.withLock { e in
            guard let v = e[token] else { return nil }
            if now < v.expires { return v }
            e[token] = nil
            return nil
        }
    }

    func remember(_ token: String, _ v: VerifiedToken) {
        entries.withLock { e in
            if e.count >= limit { e.removeAll(keepingCapacity: true) }
            e[token] = v
        }
    }
}

/// A token that verified: who it names and until when it is valid.
public struct VerifiedToken: Sendable, Equatable {
    public var principal: Principal
    public var expires: Date
}

/// Why a token was refused.
public struct TokenRefusal: Error, Equatable, Sendable {
    public var reason: String
    /// The `sub` the token claims, unverified: for the log only.
    public var claimedPerson: String?
}

/// The embedded default's HS256 secret: `jwt-secret` beside the SQLite store, created on
/// first start with mode 0600, refused when others may read it.
public enum EmbeddedSecret {
    /// `<folder of the store>/jwt-secret` (or another secret's `name`, e.g. `webhook-secret`).
    public static func path(forStore store: String, name: String = "jwt-secret") -> String {
        URL(fileURLWithPath: store).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Reads the secret, creating it (32 random bytes, hex, mode 0600) when `create` and it
    /// does not exist.
    public static func load(forStore store: String, create: Bool) throws(IdentityError) -> [UInt8] {
        try load(file: path(forStore: store), create: create)
    }

    /// Reads the secret in `file` (creating it when `create` and missing).
    public static func load(file: String, create: Bool = false) throws(IdentityError) -> [UInt8] {
        if !FileManager.default.fileExists(atPath: file) {
            guard create else {
                throw IdentityError("no token secret at \(file): start `wfc serve` with this store first (it creates one), or give --store")
            }
            try createSecret(file)
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue else {
            throw IdentityError("cannot read the permissions of \(file)")
        }
        // A secret is a small regular file: not a device, FIFO or folder that reading would block on.
        guard attributes[.type] as? FileAttributeType == .typeRegular, (attributes[.size] as? NSNumber)?.intValue ?? 0 <= 4096 else {
            throw IdentityError("\(file) is not a secret file (a regular file of at most 4 KiB)")
        }
        guard mode & 0o077 == 0 else {
            throw IdentityError("\(file) may be read by others (mode \(String(mode, radix: 8))): run `chmod 600 \(file)`")
        }
        guard let data = FileManager.default.contents(atPath: file),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              let bytes = hexBytes(text), bytes.count >= 32 else {
            throw IdentityError("\(file) is not a secret (64 or more hex digits)")
        }
        return bytes
    }

    static func createSecret(_ file: String) throws(IdentityError) {
        try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path, withIntermediateDirectories: true)
        var rng = SystemRandomNumberGenerator()
        let hex = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined() + "\n"
        // O_EXCL: two servers starting at once do not overwrite each other's secret.
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw IdentityError("cannot create \(file): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = hex.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, hex.utf8.count) }
        guard written == hex.utf8.count else { throw IdentityError("cannot write \(file)") }
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let b = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
            i += 2
        }
        return out
    }
}

/// Mints tokens for the embedded default (`wfc token issue`).
public enum TokenIssuer {
    /// An HS256 token for `person`, valid from now for `ttl` seconds.
    public static func issue(person: String, scopes: [String], ttl: TimeInterval, secret: [UInt8], issuer: String? = nil, audience: String? = nil,
                             now: Date = Date()) async throws(IdentityError) -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        let claims = AccessClaims(sub: person, expires: now.addingTimeInterval(ttl), notBefore: now.addingTimeInterval(-60), issuedAt: now,
                                  issuer: issuer, audience: audience, scopes: scopes)
        do { return try await keys.sign(claims) } catch { throw IdentityError("cannot sign the token: \(error)") }
    }
}
