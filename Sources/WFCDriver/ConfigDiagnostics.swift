import WFCDiagnostics

// Diagnostics of `.wfc.yaml` and of `# wfc-ignore:` comments (WFC0010–WFC0029). They are
// about suppression itself, so nothing suppresses them or changes their severity.

struct CannotReadConfig: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0010", name: "cannot-read-config", summary: "The configuration file could not be read.",
        explanation: """
            `.wfc.yaml` (or the file given with `--config`) exists but is not a regular file, or \
            cannot be read. It is read only as a regular file, under `--max-file-bytes`.
            """,
        example: "$ mkdir .wfc.yaml && wfc check workflows\n",
        fix: "$ rmdir .wfc.yaml && printf 'severity:\\n  WFC5009: warning\\n' > .wfc.yaml\n")
    var reason: String
    var message: String { "cannot read the configuration: \(reason)" }
}

struct UnknownConfigKey: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0011", name: "unknown-config-key", summary: "`.wfc.yaml` has a key wfc does not know.",
        explanation: """
            The configuration has three keys: `severity` (a mapping from code or name to \
            `off`, `warning` or `error`), `ignore` (a list of `path`, `codes`, `reason`) and \
            `lang` (`zh-CN` or `en`). Each ignore entry has `path`, `reason` and optionally \
            `codes`. Anything else is a mistake, most often a typo.
            """,
        example: "severty:\n  WFC5009: warning\n",
        fix: "severity:\n  WFC5009: warning\n")
    var key: String
    var place: String
    var message: String { "unknown key `\(key)` in \(place)" }
}

struct UnknownDiagnosticCode: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0012", name: "unknown-diagnostic-code", summary: "A code or name that no diagnostic has.",
        explanation: """
            Severities and ignores (in `.wfc.yaml` and in `# wfc-ignore:` comments) name \
            diagnostics by code (`WFC5009`) or by name (`stuck-requirement`). `wfc explain \
            --list` lists them. An unknown one suppresses nothing.
            """,
        example: "severity:\n  WFC5900: warning\n",
        fix: "severity:\n  WFC5009: warning\n")
    var text: String
    var message: String { "no diagnostic has the code or name `\(text)`" }
}

struct BadSeverity: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0013", name: "bad-severity", summary: "A severity in `.wfc.yaml` is not `off`, `warning` or `error`.",
        explanation: """
            Under `severity:`, each code or name maps to `off` (never reported), `warning` \
            (reported; fails only `--strict`) or `error` (fails the check).
            """,
        example: "severity:\n  WFC5009: warn\n",
        fix: "severity:\n  WFC5009: warning\n")
    var text: String
    var message: String { "`\(text)` is not a severity: write off, warning or error" }
}

struct BadGlob: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0014", name: "bad-path-glob", summary: "An ignore's `path` is not a valid pattern.",
        explanation: """
            `path` is a pattern relative to the folder of `.wfc.yaml`: `*` matches within a \
            folder name, `**` across folders, `?` one character and `[a-z]` a set. It may not \
            be absolute, leave the folder (`..`) or leave a `[` unclosed.
            """,
        example: "ignore:\n  - path: workflows/[legacy/*.yaml\n    reason: 旧制度，2026 年底停用\n",
        fix: "ignore:\n  - path: workflows/legacy/*.yaml\n    reason: 旧制度，2026 年底停用\n")
    var pattern: String
    var problem: String
    var message: String { "`\(pattern)` is not a valid path pattern: \(problem)" }
}

struct BadConfigValue: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0015", name: "bad-config-value", summary: "A value in `.wfc.yaml` has the wrong shape.",
        explanation: """
            The file is a mapping; `severity` is a mapping; `ignore` is a list of mappings; \
            `path` and `reason` are texts; `codes` is a code or a list of codes.
            """,
        example: "ignore:\n  path: workflows/legacy/*.yaml\n",
        fix: "ignore:\n  - path: workflows/legacy/*.yaml\n    reason: 旧制度，2026 年底停用\n")
    var what: String
    var expected: String
    var message: String { "\(what) must be \(expected)" }
}

struct UnknownLanguage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0016", name: "unknown-language", summary: "`lang` is not a language wfc has.",
        explanation: """
            `lang` chooses the language of diagnostics: `zh-CN` (Simplified Chinese) or `en`. \
            `--lang` on the command line wins over it; without either, the locale (LC_ALL, \
            LC_MESSAGES, LANG) decides.
            """,
        example: "lang: zh_CN\n",
        fix: "lang: zh-CN\n")
    var text: String
    var message: String { "`\(text)` is not a language: write zh-CN or en" }
}

struct IgnoreWithoutReason: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0017", name: "ignore-without-reason", summary: "An ignore gives no reason.",
        explanation: """
            Every ignore says why, so that a reviewer can judge it: after the codes in a \
            `# wfc-ignore:` comment, or as `reason:` in `.wfc.yaml`. An ignore without a \
            reason suppresses nothing.
            """,
        example: "roles:\n  hr: { title: 人事 }  # wfc-ignore: WFC5010\n",
        fix: "roles:\n  hr: { title: 人事 }  # wfc-ignore: WFC5010 该角色由集团统一配置\n")
    var message: String { "this ignore gives no reason, so it suppresses nothing" }
}

struct UnusedIgnore: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0018", severity: .warning, name: "unused-ignore", summary: "A `# wfc-ignore:` comment suppresses nothing.",
        explanation: """
            The comment names a diagnostic that is not reported on its line (or, for a \
            comment alone on its line, on the next line). Perhaps the problem was fixed, or \
            the comment is on the wrong line. Remove it so that it hides nothing later.
            """,
        example: "title: 离职交接  # wfc-ignore: WFC5010 该角色由集团统一配置\n",
        fix: "title: 离职交接\n")
    var code: String
    var message: String { "`\(code)` is not reported here: this ignore suppresses nothing" }
}

struct MalformedIgnore: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0019", name: "malformed-ignore", summary: "A `wfc-ignore` comment is not written `# wfc-ignore: CODES reason`.",
        explanation: """
            An inline ignore is written `# wfc-ignore: WFC5010 reason`, or with several codes \
            `# wfc-ignore: WFC5010, WFC5009 reason`, at the end of the line it applies to or \
            alone on the line before. Codes may be names (`stuck-requirement`).
            """,
        example: "title: 离职交接  # wfc-ignore WFC5010 该角色由集团统一配置\n",
        fix: "title: 离职交接  # wfc-ignore: WFC5010 该角色由集团统一配置\n")
    var problem: String
    var message: String { "malformed wfc-ignore comment: \(problem)" }
}

struct SeverityNotConfigurable: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0020", name: "severity-not-configurable", summary: "The code's severity cannot be changed or suppressed.",
        explanation: """
            Driver and YAML diagnostics (WFC0xxx, WFC1xxx) mean the input could not be read \
            or loaded: wfc cannot check such a file, so these are never turned off, demoted \
            or ignored.
            """,
        example: "severity:\n  WFC1001: off\n",
        fix: "# fix the YAML syntax error instead\n")
    var code: String
    var message: String { "\(code) cannot be configured: it means the input could not be read or loaded" }
}

extension DriverDiagnostics {
    /// The configuration's and ignores' descriptors.
    static let configuration: [DiagnosticDescriptor] = [
        CannotReadConfig.descriptor, UnknownConfigKey.descriptor, UnknownDiagnosticCode.descriptor,
        BadSeverity.descriptor, BadGlob.descriptor, BadConfigValue.descriptor, UnknownLanguage.descriptor,
        IgnoreWithoutReason.descriptor, UnusedIgnore.descriptor, MalformedIgnore.descriptor,
        SeverityNotConfigurable.descriptor, UnknownLanguageOption.descriptor,
    ]
}
