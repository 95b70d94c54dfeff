import Foundation
import Testing

@testable import Store

struct StoredTimeTests {
    @Test func millisecondsRoundTripExactly() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            // 1900 to 2200, any millisecond.
            let millis = Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator)
            let date = StoredTime.date(millis)
            #expect(StoredTime.millis(date) == millis)
            #expect(StoredTime.millis(Date(timeIntervalSince1970: TimeInterval(millis) / 1000)) == millis)
            #expect(StoredTime.date(StoredTime.millis(date)) == date)
        }
    }

    @Test func wholeSecondsComeBackEqual() {
        for seconds in stride(from: 0.0, to: 4_000_000_000, by: 12_345_678.0) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(StoredTime.date(StoredTime.millis(date)) == date)
        }
    }

    @Test func subMillisecondsRoundToTheNearest() {
        #expect(StoredTime.millis(Date(timeIntervalSince1970: 1.0004)) == 1000)
        #expect(StoredTime.millis(Date(timeIntervalSince1970: 1.0006)) == 1001)
        #expect(StoredTime.millis(Duration.milliseconds(1500)) == 1500)
        #expect(StoredTime.millis(Duration.seconds(60)) == 60_000)
    }
}
