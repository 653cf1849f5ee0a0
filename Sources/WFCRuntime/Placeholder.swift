/// Placeholder.
enum RuntimePlaceholder {}
