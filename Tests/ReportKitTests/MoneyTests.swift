import Foundation
import ReportKit
import Testing

@Suite("Money")
struct MoneyTests {
    func gbp(_ text: String) -> Money { Money(Decimal(string: text)!) }

    @Test("exact amounts as GOV.UK writes them", arguments: [
        ("93000", "£93,000"), ("18927.5", "£18,927.50"), ("18927.50", "£18,927.50"), ("0", "£0"),
        ("999", "£999"), ("1000", "£1,000"), ("1234567.891", "£1,234,567.89"), ("41133.770000000004", "£41,133.77"),
        ("-12000", "-£12,000"),
    ])
    func exact(_ amount: String, _ expected: String) {
        #expect(gbp(amount).formatted(.exact) == expected)
        #expect(gbp(amount).description == expected)
    }

    @Test("compact amounts for headlines", arguments: [
        ("1234567", "£1.2m"), ("10000000", "£10m"), ("1600000000", "£1.6bn"), ("1000000", "£1m"),
        ("159000", "£159,000"), ("18927.50", "£18,928"), ("-2500000", "-£2.5m"), ("1250000", "£1.3m"),
        ("999999.60", "£1m"), ("999950000", "£1bn"),
    ])
    func compact(_ amount: String, _ expected: String) {
        #expect(gbp(amount).formatted(.compact) == expected)
    }

    @Test("other currencies use their symbol or their code")
    func currencies() {
        #expect(Money(5000, currency: "EUR").formatted(.exact) == "€5,000")
        #expect(Money(2500000, currency: "USD").formatted(.compact) == "$2.5m")
        #expect(Money(5000, currency: "JPY").formatted(.exact) == "JPY 5,000")
        #expect(Money(-5, currency: "CHF").formatted(.exact) == "-CHF 5")
    }

    @Test("decodes the records form and sums to the penny")
    func decoding() throws {
        let money = try JSONDecoder().decode(Money.self, from: Data(#"{"amount": 55852, "currency": "GBP"}"#.utf8))
        #expect(money == Money(55852))
        var total = Decimal(0)
        for _ in 0..<10 { total += Decimal(string: "0.1")! }
        #expect(Money(total).formatted(.exact) == "£1")
    }
}
