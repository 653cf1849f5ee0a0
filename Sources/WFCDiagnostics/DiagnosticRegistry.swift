/// All descriptors known to a program, so that `wfc explain`, SARIF rules and the docs
/// cover every code. Each phase contributes its own list.
public struct DiagnosticRegistry: Sendable {
    public private(set) var descriptors: [DiagnosticCode: DiagnosticDescriptor] = [:]

    public init(_ lists: [[DiagnosticDescriptor]] = []) {
        for list in lists { for d in list { register(d) } }
    }

    /// Adds a descriptor. A code registered twice keeps its first descriptor.
    public mutating func register(_ d: DiagnosticDescriptor) {
        if descriptors[d.code] == nil { descriptors[d.code] = d }
    }

    public subscript(code: DiagnosticCode) -> DiagnosticDescriptor? { descriptors[code] }

    /// Every descriptor, by code.
    public var all: [DiagnosticDescriptor] { descriptors.values.sorted { $0.code < $1.code } }

    /// Looks a code up leniently: `wfc1003`, `1003` and `WFC1003` all work.
    public func lookup(_ text: String) -> DiagnosticDescriptor? {
        let t = text.uppercased()
        if let d = descriptors[DiagnosticCode(t)] { return d }
        return descriptors[DiagnosticCode("WFC" + t)]
    }

    /// The long form printed by `wfc explain`.
    public func explain(_ d: DiagnosticDescriptor) -> String {
        var s = "\(d.code) (\(d.name), \(d.severity.rawValue)): \(d.summary)\n\n"
        s += d.explanation.trimmingTrailingNewlines() + "\n\n"
        let labels = d.exampleLabels
        s += "\(labels.example):\n\n" + indented(d.example) + "\n\(labels.fix):\n\n" + indented(d.fix)
        return s
    }

    private func indented(_ text: String) -> String {
        text.trimmingTrailingNewlines().split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
