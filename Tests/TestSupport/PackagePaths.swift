import Foundation

/// Where the package and the shared data are, for tests in any target.
public enum PackagePaths {
    /// The package root: the nearest folder above this file that holds Package.swift (symlinks
    /// resolved first, so a test folder linked into a dev package still finds the repository);
    /// the working directory when none is found.
    public static let root: URL = {
        let here = URL(fileURLWithPath: #filePath)
        for start in [here.resolvingSymlinksInPath(), here] {
            var dir = start.deletingLastPathComponent()
            while dir.path != "/" && !dir.path.isEmpty {
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
                dir = dir.deletingLastPathComponent()
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `$WFC_SHARED_DIR`, when set.
    public static var sharedFromEnvironment: URL? {
        ProcessInfo.processInfo.environment["WFC_SHARED_DIR"].map { URL(fileURLWithPath: $0) }
    }

    /// `../shared/` beside the package root.
    public static var sharedBesidePackage: URL { root.deletingLastPathComponent().appendingPathComponent("shared") }

    /// The shared data: `$WFC_SHARED_DIR` when set, else `../shared/` when it exists.
    public static var shared: URL? {
        if let env = sharedFromEnvironment { return env }
        return FileManager.default.fileExists(atPath: sharedBesidePackage.path) ? sharedBesidePackage : nil
    }

    /// The built `wfc` executable next to the test bundle (or in `.build/debug`).
    public static var wfcExecutable: URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [bundleDir, bundleDir.deletingLastPathComponent(), root.appendingPathComponent(".build/debug")] {
            let candidate = dir.appendingPathComponent("wfc")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/wfc")
    }
}
