import Foundation
import Mustache
import WFCService

/// Why the web inbox cannot start: a template or static file is missing or does not parse
/// (WFC9021). `wfc serve` reports it and does not start.
public struct WebSetupError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var code: String { WebTemplateMissing.descriptor.code.rawValue }
    public var description: String { "\(message) (\(code))" }
}

/// The Mustache templates and the style sheet of the web inbox, read once at start from
/// files: `--web-dir`/`$WFC_WEB_DIR`, else the resources SwiftPM installs beside the
/// executable (`wfc_WFCWeb.resources`), else this source tree (for a development build).
public struct WebAssets: Sendable {
    /// Every template a page needs; all must exist before the server starts.
    public static let templateNames = ["layout", "sign-in", "tasks", "case", "error", "input", "overview", "policy", "draft", "rules"]
    static let resourcesFolder = "wfc_WFCWeb.resources"

    let library: MustacheLibrary
    /// `Static/web.css`: the only style (the CSP forbids inline styles).
    let css: String
    /// The folder the files were read from.
    public let directory: String

    /// Reads the templates of the first usable folder (see the type's comment). `explicit`:
    /// a folder given by the operator, which must then be complete.
    public static func load(explicit: String? = nil) async throws(WebSetupError) -> WebAssets {
        if let explicit { return try await load(from: explicit) }
        if let env = ProcessInfo.processInfo.environment["WFC_WEB_DIR"], !env.isEmpty { return try await load(from: env) }
        let candidates = defaultFolders()
        for folder in candidates where FileManager.default.fileExists(atPath: folder + "/Templates/layout.mustache") {
            return try await load(from: folder)
        }
        throw WebSetupError(message: "the web templates were not found (looked in \(candidates.joined(separator: ", "))); "
            + "copy \(resourcesFolder) beside the wfc executable or give --web-dir")
    }

    /// The folders looked in when none is given: beside the executable, then the source tree.
    static func defaultFolders() -> [String] {
        var out: [String] = []
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            out.append(exe.appendingPathComponent(resourcesFolder).path)
            out.append(exe.appendingPathComponent("wfc_WFCWeb.bundle/Contents/Resources").path)
        }
        out.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().path)
        return out
    }

    /// Reads `folder/Templates/*.mustache` and `folder/Static/web.css`, refusing a folder
    /// that lacks one of them.
    public static func load(from folder: String) async throws(WebSetupError) -> WebAssets {
        let templates = folder + "/Templates"
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: templates, isDirectory: &isDir), isDir.boolValue else {
            throw WebSetupError(message: "\(templates) is not a folder of web templates")
        }
        let library: MustacheLibrary
        do { library = try await MustacheLibrary(directory: templates) } catch let e as MustacheLibrary.ParserError {
            throw WebSetupError(message: "the web template \(e.filename) does not parse: \(e.error) (line \(e.context.lineNumber))")
        } catch {
            throw WebSetupError(message: "the web templates in \(templates) cannot be read: \(error)")
        }
        for name in templateNames where library.getTemplate(named: name) == nil {
            throw WebSetupError(message: "the web template \(templates)/\(name).mustache is missing")
        }
        guard let css = try? String(contentsOfFile: folder + "/Static/web.css", encoding: .utf8) else {
            throw WebSetupError(message: "the style sheet \(folder)/Static/web.css is missing")
        }
        return WebAssets(library: library, css: css, directory: folder)
    }

    /// `template` rendered with `context`; every value is HTML-escaped by the engine unless the
    /// template asks for raw text (`{{{…}}}`, used only for HTML the server made itself).
    func render(_ template: String, _ context: [String: Any]) -> String {
        // Every name was checked at start; an empty page is only possible if the files change.
        library.render(context, withTemplate: template) ?? ""
    }
}
