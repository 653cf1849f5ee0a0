import Foundation

/// The naming convention of scenario files: `NAME.test.yaml` next to `NAME.yaml`.
public enum ScenarioFiles {
    public static func isScenario(_ path: String) -> Bool {
        path.hasSuffix(".test.yaml") || path.hasSuffix(".test.yml")
    }
}
