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
        abstract: CLIText.abstract("token"),
        subcommands: [TokenIssue.self])
}

/// `wfc token issue --sub PERSON [--scope S]… [--ttl 8h] [--store PATH]`.
struct TokenIssue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: CLIText.abstract("token.issue"),
        discussion: CLIText.discussion("token.issue"))

    @Option(help: .text("token.issue.sub", valueName: "person"))
    var sub: String

    @Option(help: .text("token.issue.scope", valueName: "scope"))
    var scope: [String] = []

    @Option(help: .text("token.issue.ttl", valueName: "duration"))
    var ttl = "8h"

    @Option(help: .text("token.issue.store", valueName: "path"))
    var store: String?

    @Option(help: .text("token.issue.jwt-secret-file", valueName: "file"))
    var jwtSecretFile: String?

    @Option(help: .text("token.issue.issuer"))
    var issuer: String?

    @Option(help: .text("token.issue.audience"))
    var audience: String?

    func validate() throws {
        guard Self.seconds(ttl) != nil else { throw ValidationError(CLIText.t("usage.ttl", ["ttl": ttl])) }
        if let why = StoredText.problem(sub, what: "--sub") { throw ValidationError(why) }
        for s in scope where ![Principal.adminScope, Principal.startScope].contains(s) {
            throw ValidationError(CLIText.t("usage.scope", ["scope": s, "admin": Principal.adminScope, "start": Principal.startScope]))
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
            throw CommandFailure(.usage, CLIText.t("failure.token-server-store"))
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
