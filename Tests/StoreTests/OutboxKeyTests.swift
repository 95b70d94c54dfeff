import Foundation
import Testing

@testable import Store

struct OutboxKeyTests {
    // Expected digests from Python's hashlib: `hashlib.sha256(m).hexdigest()` for each message.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256MatchesKnownDigests(message: String, expected: String) {
        #expect(hex(SHA256.hash(Array(message.utf8))) == expected)
    }

    @Test func sha256HandlesEveryByteValue() {
        // python3 -c 'import hashlib; print(hashlib.sha256(bytes(range(256))*3).hexdigest())'
        let message = Array((0...255).map(UInt8.init)) + Array((0...255).map(UInt8.init)) + Array((0...255).map(UInt8.init))
        #expect(hex(SHA256.hash(message)) == "f3a25aa93aa2fbba28d79260535bbd6a5eb0fc1c24a8b0f04e12b484c1dfe363")
    }

    // Expected keys computed independently with Python, following the derivation documented on DeliveryKey:
    //   fields = [job, str(millis), destination, recipient, str(part)]
    //   msg = b"herald-delivery-key-v1" + b"".join(b"\n%d:%s" % (len(f.encode()), f.encode()) for f in fields)
    //   key = base64.b32encode(hashlib.sha256(msg).digest()[:16]).decode().rstrip("=").lower()
    // These values must never change: keys already sent must be derivable again.
    @Test func keysAreStableAcrossVersions() {
        let march1 = Date(timeIntervalSince1970: 1_709_283_600)  // 2024-03-01T09:00:00Z = 1709283600000 ms
        #expect(
            DeliveryKey.derive(
                job: "funding-summary", logicalTime: march1, destination: "comms-mastodon", recipient: "", part: 0
            ).rawValue == "jwp5nd7xk5z3jpx3gkkbxy5uvu"
        )
        #expect(
            DeliveryKey.derive(
                job: "funding-summary", logicalTime: march1, destination: "comms-mastodon", recipient: "", part: 1
            ).rawValue == "27igtoobtueybukv64bnv4s7mu"
        )
        #expect(
            DeliveryKey.derive(
                job: "anniversaires-été", logicalTime: Date(timeIntervalSince1970: 1_700_000_000.123),
                destination: "stakeholders-email", recipient: "a@example.gov.uk", part: 2
            ).rawValue == "z357dbijmlcxlgjcecgvngxzcy"
        )
        #expect(
            DeliveryKey.derive(
                job: "a", logicalTime: Date(timeIntervalSince1970: -0.001), destination: "b", recipient: "", part: 0
            ).rawValue == "bcszifupam2h365xh2jyb5maei"
        )
    }

    @Test func keysAreTokensSafeEverywhere() {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz234567")
        let awkward = ["", " ", "a/b?c=d&e", "ünïcödé 🎉", "line\nbreak", "quote\"<>@", String(repeating: "x", count: 5000)]
        for text in awkward {
            let key = DeliveryKey.derive(
                job: text, logicalTime: Fixture.t0, destination: text, recipient: text, part: text.count % 7
            )
            #expect(key.rawValue.count == 26)
            #expect(key.rawValue.allSatisfy(allowed.contains))
        }
    }

    @Test func everyFieldChangesTheKey() {
        func key(_ job: String = "j", _ time: Date = Fixture.t0, _ destination: String = "d", _ recipient: String = "r",
                 _ part: Int = 0) -> DeliveryKey {
            DeliveryKey.derive(job: job, logicalTime: time, destination: destination, recipient: recipient, part: part)
        }
        let keys: Set<DeliveryKey> = [
            key(), key("k"), key("j", Fixture.t0 + 0.001), key("j", Fixture.t0, "e"), key("j", Fixture.t0, "d", ""),
            key("j", Fixture.t0, "d", "r", 1),
            // The framing keeps field boundaries: moving text from one field to the next changes the key.
            key("jd", Fixture.t0, "", "r"), key("j", Fixture.t0, "dr", ""),
        ]
        #expect(keys.count == 8)
    }

    @Test func onlyTheMillisecondOfTheLogicalTimeCounts() {
        let a = DeliveryKey.derive(job: "j", logicalTime: Fixture.t0, destination: "d", recipient: "", part: 0)
        let b = DeliveryKey.derive(job: "j", logicalTime: Fixture.t0 + 0.0001, destination: "d", recipient: "", part: 0)
        #expect(a == b)
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
