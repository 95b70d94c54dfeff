import ReportKit
import Testing

@Suite("Phrasing")
struct PhrasingTests {
    @Test("N years on: 'one' for 1, numerals from 2")
    func yearsOn() {
        #expect(Phrasing.yearsOn(1) == "one year on")
        #expect(Phrasing.yearsOn(2) == "2 years on")
        #expect(Phrasing.yearsOn(10) == "10 years on")
    }

    @Test("counts")
    func counts() {
        #expect(Phrasing.years(1) == "1 year")
        #expect(Phrasing.years(3) == "3 years")
        #expect(Phrasing.count(1, "award") == "1 award")
        #expect(Phrasing.count(21, "award") == "21 awards")
        #expect(Phrasing.count(2, "anniversary", "anniversaries") == "2 anniversaries")
        #expect(Phrasing.count(0, "award") == "0 awards")
    }

    @Test("ordinals: words to ninth, then numerals", arguments: [
        (1, "first"), (2, "second"), (9, "ninth"), (10, "10th"), (11, "11th"), (12, "12th"), (13, "13th"),
        (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th"), (112, "112th"),
    ])
    func ordinals(_ n: Int, _ expected: String) {
        #expect(Phrasing.ordinal(n) == expected)
    }

    @Test("lists and percentages")
    func listsAndPercentages() {
        #expect(Phrasing.list([]) == "")
        #expect(Phrasing.list(["a"]) == "a")
        #expect(Phrasing.list(["a", "b"]) == "a and b")
        #expect(Phrasing.list(["a", "b", "c"]) == "a, b and c")
        #expect(Phrasing.percent(14, of: 21) == "67%")
        #expect(Phrasing.percent(1, of: 3) == "33%")
        #expect(Phrasing.percent(0, of: 0) == "0%")
    }
}
