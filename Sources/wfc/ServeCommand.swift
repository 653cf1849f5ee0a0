import ArgumentParser
import Foundation
import Logging
import WFCDiagnostics
import WFCDriver
import WFCServer
import WFCService
import WFCStore
import WFCWeb

/// `wfc serve`: the runtime as an authenticated HTTP service (docs/service.md).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the case store over HTTP, with bearer-token identities (docs/service.md).",
        discussion: """
            Identities: by default, HS256 tokens signed with the secret `jwt-secret` beside the \
            store (created on first start, mode 0600); mint them with `wfc token issue`. In \
            production give --jwt-keys: a JWKS or PEM file of EdDSA/RS256 public keys.

            Due timers (escalations, violations, waits) fire by themselves within about a \
            second; several servers on one store take leases, so none fires a case twice. With \
            --webhook, effects (task opened, escalation, violation, case finished) are POSTed \
            there at least once, signed with HMAC-SHA256 (docs/service.md, "Webhooks").

            The web task inbox for people is at /web (docs/web.md); --no-web leaves it out.

            Stops gracefully on SIGTERM or SIGINT: requests in flight finish.

            EXIT CODES:
              0  stopped by a signal
              2  usage error: a bad --listen, an unreadable key file
              3  the store or the secret could not be opened or created, the address
                 could not be listened on, or a web template is missing (WFC9021)
            """)

    @Option(help: ArgumentHelp("The store: a SQLite file, or a postgres://USER@HOST/DB URL (default: $WFC_STORE, else .wfc/store.sqlite).", valueName: "path-or-url"))
    var store: String?

    @Option(help: ArgumentHelp("Address and port to listen on; port 0 picks a free one (printed).", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    @Option(help: ArgumentHelp("HS256 secret file (default: jwt-secret beside the store).", valueName: "file"))
    var jwtSecretFile: String?

    @Option(help: ArgumentHelp("Public keys for tokens: a JWKS file or PEM public keys (EdDSA, RS256).", valueName: "file"))
    var jwtKeys: String?

    @Option(help: "Required `iss` claim of tokens.")
    var issuer: String?

    @Option(help: "Required `aud` claim of tokens.")
    var audience: String?

    @Option(help: "Largest request body, in bytes.")
    var maxBodyBytes = 1 << 20

    @Flag(help: "Do not fire due timers (another server, or `wfc case tick`, does).")
    var noScheduler = false

    @Option(help: ArgumentHelp("POST every effect here (http or https), signed with HMAC-SHA256.", valueName: "url"))
    var webhook: String?

    @Option(help: ArgumentHelp("The webhook's signing secret (default: webhook-secret beside the store, created on first use, mode 0600).", valueName: "file"))
    var webhookSecretFile: String?

    @Option(help: ArgumentHelp("Require this token (the file's hex secret, mode 0600) as `Authorization: Bearer` on GET /metrics.", valueName: "file"))
    var metricsTokenFile: String?

    @Flag(help: "Let the web inbox's sign-in page pick any person without a token (a trusted laptop only; a red banner says so).")
    var devSignIn = false

    @Flag(help: "A clock the web inbox can move forward, for tests of deadlines (never in production; timers then fire only by POST /v1/tick).")
    var testClock = false

    @Option(help: ArgumentHelp("The web inbox's templates and style sheet (default: wfc_WFCWeb.resources beside wfc, else $WFC_WEB_DIR).", valueName: "dir"))
    var webDir: String?

    @Flag(help: "Serve the API only, without the web inbox at /web.")
    var noWeb = false

    /// The language of start-up errors (the API and the pages choose per request).
    @OptionGroup var language: LanguageOption

    func validate() throws {
        if jwtSecretFile != nil && jwtKeys != nil { throw ValidationError("give --jwt-secret-file or --jwt-keys, not both") }
        guard ListenAddress(listen) != nil else { throw ValidationError("--listen `\(listen)` is not HOST:PORT (e.g. 127.0.0.1:8080)") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        if let webhook {
            guard let u = URL(string: webhook), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), u.host != nil else {
                throw ValidationError("--webhook `\(webhook)` is not an http(s) URL")
            }
        }
        if webhookSecretFile != nil && webhook == nil { throw ValidationError("--webhook-secret-file needs --webhook") }
    }

    func run() async throws {
        let location = StoreLocation.resolve(option: store)
        let storePath = SQLiteRepository.filePath(location)
        // Secrets are kept beside a store file; servers sharing a database must share them.
        if StoreLocation.isServer(location) {
            if jwtSecretFile == nil && jwtKeys == nil {
                throw CommandFailure(.usage, "with a database server as the store, give --jwt-secret-file or --jwt-keys (every server must check tokens with the same key)")
            }
            if webhook != nil && webhookSecretFile == nil {
                throw CommandFailure(.usage, "with a database server as the store, give --webhook-secret-file with --webhook")
            }
        }
        guard let address = ListenAddress(listen) else { throw CommandFailure(.usage, "--listen `\(listen)` is not HOST:PORT") }
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .info
            return h
        }
        let opened: WorkflowService
        do { opened = try WorkflowService.open(path: StoreLocation.isServer(location) ? location : storePath) } catch {
            throw CommandFailure(.failure, "\(error.message) (\(error.code))")
        }
        // The test clock moves the service's now (every route's, API included) forward.
        let clock = testClock ? TestClock() : nil
        let service = clock.map { c in WorkflowService(store: opened.store, clock: { c.now() }) } ?? opened
        let verifier: TokenVerifier
        do {
            if let jwtKeys {
                verifier = try await TokenVerifier.publicKeys(file: jwtKeys, issuer: issuer, audience: audience)
            } else {
                let secret = try jwtSecretFile.map { file throws(IdentityError) in try EmbeddedSecret.load(file: file) }
                    ?? EmbeddedSecret.load(forStore: storePath, create: true)
                verifier = await TokenVerifier.hmac(secret: secret, issuer: issuer, audience: audience)
            }
        } catch {
            throw CommandFailure(jwtKeys != nil ? .usage : .failure, "\(error)")
        }
        var metricsToken: String?
        if let metricsTokenFile {
            // The same rules as the token secrets: a private file of 64 or more hex digits.
            do { metricsToken = try EmbeddedSecret.load(file: metricsTokenFile).map { String(format: "%02x", $0) }.joined() } catch {
                throw CommandFailure(.failure, "\(error)")
            }
        }
        var server = WFCHTTPServer(service: service, verifier: verifier,
                                   configuration: ServerConfiguration(host: address.host, port: address.port, maxBodyBytes: maxBodyBytes,
                                                                      metricsToken: metricsToken))
        if !noWeb {
            // Checked before listening: a missing template is a start-up error, never a crash later.
            let assets: WebAssets
            do { assets = try await WebAssets.load(explicit: webDir) } catch {
                let message = DiagnosticLocalizer.translate(error.message, part: .message, code: DiagnosticCode(error.code), to: language.resolve()) ?? error.message
                throw CommandFailure(.failure, "\(message) (\(error.code))")
            }
            let web = WebInbox(service: service, verifier: verifier, assets: assets,
                               options: WebOptions(devSignIn: devSignIn, testClock: clock, maxBodyBytes: maxBodyBytes))
            server.routeExtensions.append { web.register(on: $0) }
            // On stderr: the first line on stdout stays the `listening on` line supervisors wait for.
            if devSignIn { FileHandle.standardError.write(Data("wfc serve: --dev-sign-in is on: anyone can sign in to the web inbox as anyone\n".utf8)) }
            if testClock { FileHandle.standardError.write(Data("wfc serve: --test-clock is on: the web inbox can move the service's clock forward\n".utf8)) }
        }
        var webhookTarget: WebhookTarget?
        if let webhook {
            let file = webhookSecretFile ?? EmbeddedSecret.path(forStore: storePath, name: "webhook-secret")
            do { webhookTarget = WebhookTarget(url: webhook, secret: try EmbeddedSecret.load(file: file, create: webhookSecretFile == nil)) } catch {
                throw CommandFailure(.failure, "\(error)")
            }
        }
        do {
            // With the test clock, timers fire only through `POST /v1/tick`, which reads it.
            try await server.run(scheduler: !noScheduler && !testClock, webhook: webhookTarget) { host, port in
                // The line a supervisor (or a test) waits for; the port matters with :0.
                emit("wfc serve: listening on http://\(host):\(port) (store \(StoreLocation.display(storePath)))\n")
            }
        } catch {
            throw CommandFailure(.failure, "cannot serve on \(address.host):\(address.port): \(error)")
        }
    }
}

/// `HOST:PORT`, the host possibly `[v6]`.
struct ListenAddress {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}
