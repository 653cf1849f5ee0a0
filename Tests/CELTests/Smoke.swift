import Testing
@testable import CEL
@Test func smoke() { #expect(Bool(true)) }
