import Foundation
import Testing
@testable import WFCCompiler

/// PathText stands in for NSString's path methods in hot paths; it must give what they give.
@Suite struct PathTextTests {
    @Test(arguments: ["a/b/c.yaml", "c.yaml", "/c.yaml", "/", "a/b/", "a//b.yaml", "./x.yaml", "../w/x.yml", "", "//", "/a/b",
                      "workflows/工作交接.yaml", "/tmp/corpus/p12.yaml", "//a"])
    func matchesNSString(_ path: String) {
        #expect(PathText.lastComponent(path) == (path as NSString).lastPathComponent, "\(path)")
        #expect(PathText.directory(path) == (path as NSString).deletingLastPathComponent, "\(path)")
    }

    /// Foundation on Linux traps on `deletingLastPathComponent` of a relative path that ends
    /// in `/`; what it gives on macOS is stated here.
    @Test func trailingSlashes() {
        #expect(PathText.directory("a/") == "")
        #expect(PathText.directory("a///") == "")
        #expect(PathText.directory("w/a/") == "w")
        #expect(PathText.lastComponent("a/") == "a")
    }
}
