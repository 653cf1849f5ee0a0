import ArgumentParser
import Foundation
import WFCDriver
import WFCServer
import WFCService
import WFCStore

/// `wfc token …`: bearer tokens for the embedded default of `wfc serve`.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Mint bearer tokens for `wfc serve`'s embedded HS256 secret.",
        subcommands: [TokenIssue.self])
}

/// `wfc token issue --sub PERSON [--scope S]… [--ttl 8h] [--store PATH]`.
struct TokenIssue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Print a token for a person, signed with the secret beside the store (created when missing).",
        discussion: """
            Scopes: `admin` (deploy definitions, read every case, tick) and `cases:start`. \
            Everyone may act in the cases where they hold a role.

            EXIT CODES:
              0  printed
              2  usage error: a bad --ttl or --sub
              3  the secret could not be read or created, or is readable by others
            """)

    @Option(help: ArgumentHelp("The person id (the token's `sub`).", valueName: "person"))
    var sub: String

    @Option(help: ArgumentHelp("A scope to grant: admin or cases:start (repeatable).", valueName: "scope"))
    var scope: [String] = []

    @Option(help: ArgumentHelp("How long the token is valid: 30m, 8h, 7d, or seconds.", valueName: "duration"))
    var ttl = "8h"

    @Option(help: ArgumentHelp("The store whose secret signs (default: $WFC_STORE, else .wfc/store.sqlite).", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("An HS256 secret file instead of the store's.", valueName: "file"))
    var jwtSecretFile: String?

    @Option(help: "The `iss` claim.")
    var issuer: String?

    @Option(help: "The `aud` claim.")
    var audience: String?

    func validate() throws {
        guard Self.seconds(ttl) != nil else { throw ValidationError("--ttl `\(ttl)` is not a duration of at most a year: give e.g. 30m, 8h, 7d or 3600") }
        if let why = StoredText.problem(sub, what: "--sub") { throw ValidationError(why) }
        for s in scope where ![Principal.adminScope, Principal.startScope].contains(s) {
            throw ValidationError("--scope `\(s)` is not a scope: give \(Principal.adminScope) or \(Principal.startScope)")
        }
    }

    /// `30m`, `8h`, `7d`, `90s` or plain seconds.
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var value: Double?
        if let last = text.last, let unit = units[last], let n = Double(text.dropLast()) { value = n * unit } else { value = Double(text) }
        // At most a year: a token is a credential, and `inf` or `1e308d` must not pass.
        guard let v = value, v.isFinite, v > 0, v <= 366 * 86400 else { return nil }
        return v
    }

    func run() async throws {
        let location = StoreLocation.resolve(option: store)
        if StoreLocation.isServer(location) && jwtSecretFile == nil {
            throw CommandFailure(.usage, "with a database server as the store, give --jwt-secret-file (the file `wfc serve` checks tokens with)")
        }
        let storePath = SQLiteRepository.filePath(location)
        let secret: [UInt8]
        do {
            secret = try jwtSecretFile.map { file throws(IdentityError) in try EmbeddedSecret.load(file: file) }
                ?? EmbeddedSecret.load(forStore: storePath, create: true)
        } catch { throw CommandFailure(.failure, "\(error)") }
        let token = try await TokenIssuer.issue(person: sub, scopes: scope, ttl: Self.seconds(ttl) ?? 0, secret: secret, issuer: issuer, audience: audience)
        emit(token + "\n")
    }
}
