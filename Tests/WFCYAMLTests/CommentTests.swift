import Testing
import WFCDiagnostics
import WFCYAML

/// `YAMLComments.find`: comments are told from scalars, and the marker is found wherever it
/// sits in a comment — also as the file's last bytes, and after near misses.
@Suite struct CommentTests {
    func comments(_ text: String, _ marker: String = "wfc-ignore") -> [String] {
        let file = SourceFile(path: "c.yaml", text: text)
        let root = YAMLLoader().load(file).root
        let bytes = file.bytes
        return YAMLComments.find(in: file, containing: marker, root: root).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    @Test func theMarkerIsFoundAtTheEndOfTheFileAndAfterNearMisses() {
        #expect(comments("a: 1 # wfc-ignore") == ["# wfc-ignore"])
        #expect(comments("a: 1 # wfc-ignor wfc-ignore: WFC5009 原因\n") == ["# wfc-ignor wfc-ignore: WFC5009 原因"])
        #expect(comments("a: 1 # wfc-ignor") == [])
        #expect(comments("a: 1 # wwwfc-ignore") == ["# wwwfc-ignore"])
    }

    @Test func aHashInsideAScalarIsText() {
        #expect(comments("a: \"x # wfc-ignore\"\n") == [])
        #expect(comments("a: |\n  # wfc-ignore in a block\nb: 2 # wfc-ignore: X y\n") == ["# wfc-ignore: X y"])
        #expect(comments("a: x#wfc-ignore\n") == [])
    }

    @Test func ownLineCommentsAreMarked() {
        let file = SourceFile(path: "c.yaml", text: "# wfc-ignore: A r\na: 1  # wfc-ignore: B r\n")
        let found = YAMLComments.find(in: file, containing: "wfc-ignore", root: YAMLLoader().load(file).root)
        #expect(found.map(\.ownLine) == [true, false])
    }

    @Test func aFileThatDidNotLoadHasNoTrustedComments() {
        let file = SourceFile(path: "c.yaml", text: "a: [1 # wfc-ignore\n")
        let r = YAMLLoader().load(file)
        #expect(YAMLComments.find(in: file, containing: "wfc-ignore", root: r.root).isEmpty)
    }
}
