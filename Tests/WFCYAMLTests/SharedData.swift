import Foundation
import TestSupport

/// Locates `../shared/` beside the package root (or `$WFC_SHARED_DIR`).
enum SharedData {
    static var packageRoot: URL { PackagePaths.root }

    static var directory: URL? { PackagePaths.shared }
}
