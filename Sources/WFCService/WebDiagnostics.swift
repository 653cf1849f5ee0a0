import WFCDiagnostics

/// The codes of the web task inbox (`wfc serve`'s `/web` pages, docs/web.md): WFC9020–WFC9049.
public enum WebDiagnostics {
    /// Every web code, for the registry and `wfc explain`.
    public static let all: [DiagnosticDescriptor] = [CSRFRefused.descriptor, WebTemplateMissing.descriptor, FormValueInvalid.descriptor]
}

/// WFC9020: a form posted without its CSRF token, or with another session's.
public struct CSRFRefused: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9020", name: "csrf-refused", summary: "A web form was posted without the session's CSRF token.",
        explanation: """
            Every form of the web inbox carries a hidden `_csrf` field with a token of the \
            browser's session. A POST without it, with another session's token or without a \
            session cookie is refused with HTTP 403 and nothing is done: another site cannot make \
            a signed-in browser approve, sign or sign out. Reload the page and send the form again.
            """,
        example: "POST /web/cases/C1/events\nevent=approve\n",
        fix: "POST /web/cases/C1/events   (the form as the page served it)\n_csrf=…&event=approve\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9021: the web inbox's template or static files cannot be found or parsed.
public struct WebTemplateMissing: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9021", name: "web-template-missing", summary: "A template or static file of the web inbox is missing or does not parse.",
        explanation: """
            The web pages are rendered from Mustache files installed beside the `wfc` executable \
            (`wfc_WFCWeb.resources/`, which `swift build` puts next to it), or from the folder \
            given with `wfc serve --web-dir` or `$WFC_WEB_DIR`. `wfc serve` checks them when it \
            starts and refuses to start when one is missing or does not parse; copy the whole \
            resources folder with the executable.
            """,
        example: "$ cp .build/release/wfc /usr/local/bin/ && wfc serve\n",
        fix: "$ cp -R .build/release/wfc .build/release/wfc_WFCWeb.resources /usr/local/bin/ && wfc serve\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9022: a form field whose text is not a value of the field's type.
public struct FormValueInvalid: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9022", name: "form-value-invalid", summary: "A form field's text is not a value of the field's type.",
        explanation: """
            The web inbox turns each form field into the case schema's type before it sends the \
            event: a number for `int` and `decimal`, `YYYY-MM-DD` for `date`, one of the listed \
            values for an enum. Text that does not convert is shown at the form with the data \
            kept (HTTP 422); no event is sent, so nothing is recorded in the case.
            """,
        example: "(the 天数 field of an int) 三\n", fix: "(the 天数 field of an int) 3\n")
    public var message: String
    public init(message: String) { self.message = message }
}
