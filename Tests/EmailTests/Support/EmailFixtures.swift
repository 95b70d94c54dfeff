import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

/// Shared digests and contexts for the email tests.
enum EmailFixture {
    static let subject = "Funding — £1.2m for Ōtautahi 🎉"
    static let context = RenderContext(job: "funding-summary", logicalTime: Date(timeIntervalSince1970: 1_393_664_400), runID: "42")
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let attempt = RequestContext(now: now)

    /// A digest with everything that goes wrong in careless mail code: a non-ASCII subject with an
    /// emoji, a line starting with a dot, HTML-significant characters, a line far over 998 octets, a
    /// lone dot on a line, amounts inside and outside the item text, links with query strings.
    static let digest = Digest(
        title: subject,
        summary: ".NET-era mutuals: 21 awards to date, 14 to SMEs, £1m of support",
        sections: [
            Digest.Section(title: "Top recipients <2014>", items: [
                Digest.Item("Knowsley Youth Mutual: £93,000", amount: Money(93000),
                            link: URL(string: "https://example.org/knowsley?a=1&b=2")),
                Digest.Item("<b>Spiral & Co</b> \"quoted\" 'single'", amount: Money(Decimal(string: "18927.50")!)),
                Digest.Item("Ngā Kaitiaki o Ōtautahi — 🎉 " + String(repeating: "long line of support ", count: 80)),
                Digest.Item("."),
            ]),
            Digest.Section(title: "Empty", items: []),
        ],
        hashtags: ["mutuals", "publicservices"],
        links: [Digest.Link(title: "360Giving data", url: URL(string: "https://example.org/data")!)])
}

/// A client that trusts the test server's CA (verification stays on, as in production).
func testClient(trusting server: ScriptServer) -> CurlClient {
    CurlClient(configuration: CurlConfiguration(caBundlePath: server.caPath, connectTimeout: .seconds(10), timeout: .seconds(30)))
}

extension DeliveryVerdict {
    var isSent: Bool { if case .sent = self { true } else { false } }
    var isDead: Bool { if case .dead = self { true } else { false } }
    var isUnknown: Bool { if case .unknown = self { true } else { false } }
    var isRetry: Bool { if case .retry = self { true } else { false } }
    var remoteID: String? { if case .sent(let id) = self { id } else { nil } }
    var retryDelay: TimeInterval? { if case .retry(let after, _) = self { after } else { nil } }
    var reason: String {
        switch self {
        case .sent: ""
        case .retry(_, let reason), .dead(let reason), .unknown(let reason): reason
        }
    }
}

/// The problems a checker report lists (empty for a good message).
func problems(_ report: [String: Any]) -> [String] {
    report["problems"] as? [String] ?? ["no problems field in \(report)"]
}

/// Expects each URL to be refused at configuration with a message containing its fragment and never `secret`.
func expectRefused(_ cases: [(url: String, fragment: String)], secret: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for (url, fragment) in cases {
        do {
            _ = try ChannelRegistry.channel(for: DestinationSettings(name: "e", url: url, recipients: ["a@example.gov.uk"]),
                                            home: URL(fileURLWithPath: "/tmp"))
            Issue.record("expected \(url) to be refused", sourceLocation: sourceLocation)
        } catch {
            #expect(error.message.contains(fragment), "\(url): \(error.message)", sourceLocation: sourceLocation)
            #expect(!error.message.contains(secret), sourceLocation: sourceLocation)
        }
    }
}
