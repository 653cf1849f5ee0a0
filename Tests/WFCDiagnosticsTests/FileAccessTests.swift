import Foundation
import Testing
import WFCDiagnostics

/// Reading under the size limit, and the root tests imports and folder walks rely on.
@Suite struct FileAccessTests {
    @Test func endlessDevicesAreReadOnlyUpToTheLimit() throws {
        for path in ["/dev/zero", "/dev/urandom"] {
            let file = try FileAccess.read(path, maxBytes: 1000).get()
            #expect(file.bytes.isEmpty)
            #expect(file.overLimit == SizeOverLimit(size: nil, limit: 1000))
        }
    }

    @Test func aRegularFileOverTheLimitIsNotReadAndKeepsItsSize() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-fa-\(UUID().uuidString).yaml")
        try Data(repeating: 65, count: 5000).write(to: url)
        let over = try FileAccess.read(url.path, maxBytes: 4999).get()
        #expect(over.bytes.isEmpty && over.overLimit == SizeOverLimit(size: 5000, limit: 4999))
        let fits = try FileAccess.read(url.path, maxBytes: 5000).get()
        #expect(fits.bytes.count == 5000 && fits.overLimit == nil)
    }

    @Test func onlyRegularFilesWhenAsked() {
        func problem(_ r: Result<SourceFile, FileAccess.Problem>) -> FileAccess.Problem? {
            if case .failure(let p) = r { return p }
            return nil
        }
        #expect(problem(FileAccess.read("/dev/null", maxBytes: 10, regularOnly: true)) == .notRegularFile(kind: "a device"))
        #expect(problem(FileAccess.read("/tmp", maxBytes: 10)) == .notRegularFile(kind: "a directory"))
        #expect(problem(FileAccess.read("/no/such/file", maxBytes: 10)) == .notFound)
    }

    @Test func pathsAndRoots() throws {
        #expect(FileAccess.absolute("a/../../b/./c", from: "/x/y") == "/x/b/c")
        #expect(FileAccess.absolute("../../../../etc", from: "/x") == "/etc")
        #expect(FileAccess.isInside("/r/a", root: "/r") && !FileAccess.isInside("/ra", root: "/r"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-root-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        try Data().write(to: dir.appendingPathComponent(".wfc.yaml"))
        let real = try #require(FileAccess.realPath(dir.path))
        #expect(FileAccess.repositoryRoot(containing: dir.appendingPathComponent("a/b").path) == real)
        #expect(FileAccess.root(for: dir.appendingPathComponent("a").path, explicit: "/") == "/")
    }
}
