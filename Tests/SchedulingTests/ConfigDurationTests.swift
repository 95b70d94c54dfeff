import Scheduling
import Testing

struct ConfigDurationTests {
    @Test(arguments: [
        ("90s", 90.0), ("15m", 900), ("24h", 86_400), ("7d", 604_800), ("2w", 1_209_600),
        ("1h30m", 5400), ("1d12h", 129_600), (" 5m ", 300), ("1H", 3600), ("0s", 0),
        ("250ms", 0.25), ("1s500ms", 1.5), ("2m250ms", 120.25),
    ])
    func parses(_ text: String, _ seconds: Double) throws {
        #expect(try ConfigDuration(text).seconds == seconds)
    }

    @Test(arguments: ["", "90", "m", "1x", "30m1h", "1h1h", "-5m", "1.5h", "1h 30m", "5ms1s", "1ms1ms", "ms"])
    func rejects(_ text: String) {
        #expect(throws: ConfigDurationError.self) { try ConfigDuration(text) }
    }

    @Test func saysWhatIsWrong() {
        #expect {
            try ConfigDuration("90")
        } throws: { error in
            (error as? ConfigDurationError)?.description == "'90' needs a unit after 90: s, m, h, d or w"
        }
    }
}
