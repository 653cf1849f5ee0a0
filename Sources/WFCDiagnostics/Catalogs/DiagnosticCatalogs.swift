/// The message catalogs, one per language, compiled into the binary (no resource bundle is
/// looked up at run time). Each maps a message id to a template with named placeholders:
/// `"WFC1003.message": "duplicate key \"{key}\" in this mapping"`.
///
/// The English catalog recognises texts (see ``DiagnosticLocalizer``); every other catalog has
/// exactly the English catalog's ids for the codes it translates, with the same placeholders,
/// plus `CODE.summary` and `CODE.explanation` for `wfc explain`. Tests hold the catalogs to
/// that, and list the codes not translated yet.
public enum DiagnosticCatalogs {}
