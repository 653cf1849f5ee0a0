import Testing
import WFCYAML
@testable import WFCCompiler

/// Key sets find keys through a small perfect hash table; every key of the language must be
/// found at its own index, and near misses must not be.
@Suite struct KeySetTests {
    static let sets: [KeySet] = [
        WorkflowParser.topKeys, WorkflowParser.stateKeys, WorkflowParser.transitionKeys, WorkflowParser.fieldKeys,
        WorkflowParser.roundLimitKeys, FragmentSyntax.fragmentKeys,
    ]

    @Test func everyKeyIsFoundAtItsIndex() {
        for set in Self.sets {
            for (i, key) in set.keys.enumerated() {
                #expect(set.index(of: key.code) == i, "\(key.text)")
                #expect(set.contains(key.text))
            }
        }
    }

    @Test func otherTextsAreNotKeys() {
        for set in Self.sets {
            for text in ["titel", "Title", "on ", "", "state_", "x", "requires_", "超时", "max_round", "workflows"] where !set.names.contains(text) {
                #expect(!set.contains(text), "\(text)")
                if let code = YAMLKeyCode(text) { #expect(set.index(of: code) == nil, "\(text)") }
            }
        }
    }
}
