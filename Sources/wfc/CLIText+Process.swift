import ArgumentParser
import Foundation
import WFCDiagnostics
import WFCDriver

/// The catalog's texts in this process's language (``CLIText`` in WFCDriver holds them).
///
/// ArgumentParser reads help when it builds a command's arguments (`@Option(help:)` runs as
/// the property wrapper is made) and `configuration` when first asked for it, both after
/// `main` starts; so the language is settled once, here, from the command line and the
/// environment, before any help is read.
extension CLIText {
    /// `--lang X` or `--lang=X` on the command line, else LC_ALL, LC_MESSAGES or LANG, else
    /// English (a `--lang` wfc has no messages in counts as absent here; the command itself
    /// reports it as WFC0030).
    static let language: DiagnosticLanguage = UsageText.language(
        Array(CommandLine.arguments.dropFirst()), ProcessInfo.processInfo.environment)

    /// The width ArgumentParser wraps help to: `COLUMNS`, else the terminal's, else 80.
    static let columns: Int = {
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }()

    /// A message in the process's language, its `{slots}` filled.
    static func t(_ key: String, _ slots: [String: String] = [:]) -> String {
        text(key, in: language, slots)
    }

    /// `COMMAND.abstract`: shown after `OVERVIEW:` and in its parent's list of subcommands,
    /// beside the 26-column names.
    static func abstract(_ command: String) -> String {
        wrapped(command + ".abstract", width: columns - 26)
    }

    /// `COMMAND.discussion`: the paragraphs under a command's overview.
    static func discussion(_ command: String) -> String {
        wrapped(command + ".discussion", width: columns - 2)
    }

    /// A text pre-wrapped for ArgumentParser when it is Chinese; English is left to
    /// ArgumentParser, as it always was.
    static func wrapped(_ key: String, width: Int) -> String {
        let s = t(key)
        return language == .en ? s : wrap(s, width: width)
    }
}

extension ArgumentHelp {
    /// An argument's or option's help from the catalog, in the process's language.
    static func text(_ key: String, valueName: String? = nil) -> ArgumentHelp {
        ArgumentHelp(CLIText.wrapped(key, width: CLIText.columns - 26), valueName: valueName)
    }
}
