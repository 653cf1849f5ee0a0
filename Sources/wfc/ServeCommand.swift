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
        abstract: CLIText.abstract("serve"),
        discussion: CLIText.discussion("serve"))

    @Option(help: .text("common.store", valueName: "path-or-url"))
    var store: String?

    @Option(help: .text("serve.listen", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    @Option(help: .text("serve.jwt-secret-file", valueName: "file"))
    var jwtSecretFile: String?

    @Option(help: .text("serve.jwt-keys", valueName: "file"))
    var jwtKeys: String?

    @Option(help: .text("serve.issuer"))
    var issuer: String?

    @Option(help: .text("serve.audience"))
    var audience: String?

    @Option(help: .text("serve.max-body-bytes"))
    var maxBodyBytes = 1 << 20

    @Flag(help: .text("serve.no-scheduler"))
    var noScheduler = false

    @Option(help: .text("serve.webhook", valueName: "url"))
    var webhook: String?

    @Option(help: .text("serve.webhook-secret-file", valueName: "file"))
    var webhookSecretFile: String?

    @Option(help: .text("serve.metrics-token-file", valueName: "file"))
    var metricsTokenFile: String?

    @Flag(help: .text("serve.dev-sign-in"))
    var devSignIn = false

    @Flag(help: .text("serve.test-clock"))
    var testClock = false

    @Option(help: .text("serve.web-dir", valueName: "dir"))
    var webDir: String?

    @Flag(help: .text("serve.no-web"))
    var noWeb = false

    /// The language of start-up errors (the API and the pages choose per request).
    @OptionGroup var language: LanguageOption

    func validate() throws {
        if jwtSecretFile != nil && jwtKeys != nil { throw ValidationError(CLIText.t("usage.jwt-both")) }
        guard ListenAddress(listen) != nil else { throw ValidationError(CLIText.t("usage.listen", ["listen": listen])) }
        guard maxBodyBytes > 0 else { throw ValidationError(CLIText.t("usage.max-body-bytes")) }
        if let webhook {
            guard let u = URL(string: webhook), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), u.host != nil else {
                throw ValidationError(CLIText.t("usage.webhook-url", ["url": webhook]))
            }
        }
        if webhookSecretFile != nil && webhook == nil { throw ValidationError(CLIText.t("usage.webhook-secret-needs-webhook")) }
    }

    func run() async throws {
        let location = StoreLocation.resolve(option: store)
        let storePath = SQLiteRepository.filePath(location)
        // Secrets are kept beside a store file; servers sharing a database must share them.
        if StoreLocation.isServer(location) {
            if jwtSecretFile == nil && jwtKeys == nil {
                throw CommandFailure(.usage, CLIText.t("failure.server-store-keys"))
            }
            if webhook != nil && webhookSecretFile == nil {
                throw CommandFailure(.usage, CLIText.t("failure.server-store-webhook"))
            }
        }
        guard let address = ListenAddress(listen) else { throw CommandFailure(.usage, CLIText.t("failure.listen", ["listen": listen])) }
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
            if devSignIn { FileHandle.standardError.write(Data(("wfc serve: " + CLIText.t("note.dev-sign-in") + "\n").utf8)) }
            if testClock { FileHandle.standardError.write(Data(("wfc serve: " + CLIText.t("note.test-clock") + "\n").utf8)) }
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
            throw CommandFailure(.failure, CLIText.t("failure.cannot-serve", ["host": address.host, "port": String(address.port), "why": "\(error)"]))
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
