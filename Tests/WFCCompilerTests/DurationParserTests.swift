import Testing
@testable import WFCCompiler

/// Durations as HR writes them, in English and Chinese.
@Suite struct DurationParserTests {
    @Test(arguments: [
        ("3 working days", 3, DurationSyntax.Unit.workingDays), ("1 working day", 1, .workingDays), ("2  Weeks ", 2, .weeks),
        ("4 hours", 4, .hours), ("1 month", 1, .months), ("12 calendar  days", 12, .days), ("5 WORKDAYS", 5, .workingDays),
        ("0 days", 0, .days), ("30 minutes", 30, .minutes), ("3个工作日", 3, .workingDays), ("3 工作日", 3, .workingDays),
        ("2天", 2, .days), ("1个月", 1, .months), ("4小时", 4, .hours),
    ])
    func parses(_ text: String, _ amount: Int, _ unit: DurationSyntax.Unit) {
        #expect(DurationParser.parse(text) == DurationSyntax(amount: amount, unit: unit), "\(text)")
    }

    @Test(arguments: ["x days", "3", "1234567 days", "3 fortnights", "", "days", "3 working  days later", "3 working-days", "三天"])
    func rejects(_ text: String) {
        #expect(DurationParser.parse(text) == nil, "\(text)")
    }
}
