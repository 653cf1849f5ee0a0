import WFCDiagnostics

struct MultipleDocuments: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1009", name: "multiple-documents", summary: "The file holds more than one YAML document.",
        explanation: """
            A workflow file is one YAML document. A second `---` starts another document, which \
            wfc would otherwise ignore. Put each workflow in its own file.
            """,
        example: "workflow: a\n---\nworkflow: b\n",
        fix: "# a.yaml\nworkflow: a\n# b.yaml (a separate file)\nworkflow: b\n")
    var message: String { "the file holds more than one YAML document" }
    var help: String? { "put each document in its own file, or remove the extra `---`" }
}

struct EmptyDocument: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1010", name: "empty-file", summary: "The file has no content.",
        explanation: "The file is empty or holds only comments, so there is nothing to check.",
        example: "# 工作交接管理制度\n",
        fix: "workflow: company-handover\nversion: 1\ntitle: 工作交接管理制度\n")
    var message: String { "the file is empty" }
    var help: String? { "write the workflow, or delete the file" }
}
