import WFCDiagnostics

/// The result of loading one file: the root node when the file could be read, and every
/// problem found. A root may be present together with errors (e.g. duplicate keys).
public struct YAMLLoadResult: Sendable {
    public var file: SourceFile
    public var root: YAMLNode?
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Builds node trees with exact spans from libyaml's events, and enforces the loader's
/// checks: duplicate keys, aliases under a budget, no merge keys, depth and size limits,
/// UTF-8 only, exactly one document.
public struct YAMLLoader: Sendable {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = YAMLLimits()) {
        self.limits = limits
    }

    /// Every descriptor of the loader's diagnostics.
    public static let diagnostics: [DiagnosticDescriptor] = [
        YAMLSyntaxError.descriptor, InvalidUTF8.descriptor, DuplicateKey.descriptor,
        UnknownAnchor.descriptor, AliasBudgetExceeded.descriptor, MergeKeyUnsupported.descriptor,
        NestingTooDeep.descriptor, FileTooLarge.descriptor, MultipleDocuments.descriptor,
        EmptyDocument.descriptor, UnsupportedTag.descriptor, UnsupportedEncoding.descriptor,
        IntegerOutOfRange.descriptor, InvalidCharacter.descriptor,
    ]

    /// Loads `file`. Never traps: every problem becomes a diagnostic.
    public func load(_ file: SourceFile) -> YAMLLoadResult {
        // The tree keeps positions in 32 bits, so 2 GiB is the most even with a higher limit.
        let maxBytes = min(limits.maxFileBytes, YAMLTree.maxFileBytes)
        if let d = Self.overLimitDiagnostic(file) {
            return YAMLLoadResult(file: file, root: nil, diagnostics: [d])
        }
        if file.bytes.count > maxBytes {
            let d = Diagnostic(FileTooLarge(size: file.bytes.count, limit: maxBytes),
                               at: .point(file.sourcePath, 0))
            return YAMLLoadResult(file: file, root: nil, diagnostics: [d])
        }
        var unicodeLineBreaks = false
        if let d = EncodingCheck.check(file, unicodeLineBreaks: &unicodeLineBreaks) {
            return YAMLLoadResult(file: file, root: nil, diagnostics: [d])
        }
        var builder = TreeBuilder(file: file, limits: limits, unicodeLineBreaks: unicodeLineBreaks)
        builder.run()
        return YAMLLoadResult(file: file, root: builder.root(), diagnostics: builder.diagnostics)
    }

    /// WFC1008 for a file that its reader left unread because it is over the size limit
    /// (``SourceFile/overLimit``); nil for a file that was read. For readers of inputs that
    /// are not YAML.
    public static func overLimitDiagnostic(_ file: SourceFile) -> Diagnostic? {
        guard let over = file.overLimit else { return nil }
        return Diagnostic(FileTooLarge(size: over.size, limit: over.limit), at: .point(file.sourcePath, 0))
    }

    /// Loads text given in memory, e.g. from standard input.
    public func load(path: String, text: String) -> YAMLLoadResult {
        load(SourceFile(path: path, text: text))
    }
}

