import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

/// Shared fixtures for the channel tests.
enum Fixture {
    static let context = RenderContext(job: "funding-summary", logicalTime: Date(timeIntervalSince1970: 1_393_837_200), runID: "42")
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let attempt = RequestContext(now: now)
    static let key = "k_3f9a2b7c-0001"

    static let digest = Digest(
        title: "Mutuals Support Programme: funding to date",
        summary: "21 awards to date, 14 to SMEs, £1m of support",
        sections: [
            Digest.Section(title: "Top recipients", items: [
                Digest.Item("Knowsley Youth Mutual: £93,000", amount: Money(93000), link: URL(string: "https://example.org/knowsley")),
                Digest.Item("Spiral Health CIC: £18,927.50", amount: Money(Decimal(string: "18927.50")!)),
            ]),
            Digest.Section(title: "Empty", items: []),
        ],
        hashtags: ["mutuals", "publicservices"],
        links: [Digest.Link(title: "360Giving data", url: URL(string: "https://example.org/data")!)])

    /// A digest far over every chat limit: `sections` sections of `items` long items each, every item
    /// text unique so that loss can be detected.
    static func longDigest(sections: Int = 12, items: Int = 40, title: String = "A long digest") -> Digest {
        Digest(
            title: title, summary: "Many awards this period.",
            sections: (0..<sections).map { s in
                Digest.Section(title: "Section \(s)", items: (0..<items).map { i in
                    Digest.Item("Item S\(s)I\(i): Organisation number \(i) in section \(s) received support for "
                        + "work with local partners. It spun out in 2013 & kept growing <fast>.",
                        link: URL(string: "https://example.org/awards/\(s)/\(i)"))
                })
            },
            hashtags: ["mutuals"], links: [Digest.Link(title: "Source", url: URL(string: "https://example.org/source")!)])
    }

    /// Every item marker ("S3I17") of `digest`.
    static func markers(_ digest: Digest) -> [String] {
        digest.sections.flatMap { section in section.items.map { String($0.text.split(separator: ":")[0].dropFirst(5)) } }
    }
}

/// The body as a JSON object.
func jsonObject(_ data: Data) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: data)
    return try #require(object as? [String: Any])
}

func utf16(_ text: String?) -> Int { text?.utf16.count ?? 0 }

/// Whether a verdict is of a kind, for compact expectations.
extension DeliveryVerdict {
    var isSent: Bool { if case .sent = self { true } else { false } }
    var isDead: Bool { if case .dead = self { true } else { false } }
    var isUnknown: Bool { if case .unknown = self { true } else { false } }
    var retryDelay: TimeInterval?? {
        if case .retry(let after, _) = self { return .some(after) }
        return .none
    }
    var reason: String {
        switch self {
        case .sent: ""
        case .retry(_, let reason), .dead(let reason), .unknown(let reason): reason
        }
    }
}

/// Checks the rules every channel shares: 5xx and 429 with Retry-After (seconds and HTTP-date) retry,
/// transport errors before sending retry, after sending retry or unknown per `deduplicatesByKey`,
/// and secrets stay out of every reason.
func checkCommonClassification(_ channel: any HTTPChannel, secret: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let now = Fixture.now
    for status in [500, 502, 503] {
        #expect(channel.classify(HTTPResponse(status: status), at: now).retryDelay != nil, "HTTP \(status)", sourceLocation: sourceLocation)
    }
    #expect(channel.classify(HTTPResponse(status: 503, headers: [HTTPHeader("Retry-After", "7")]), at: now).retryDelay == .some(7),
            sourceLocation: sourceLocation)
    #expect(channel.classify(HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "30")]), at: now).retryDelay == .some(30),
            sourceLocation: sourceLocation)
    // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
    let dated = HTTPResponse(status: 429, headers: [HTTPHeader("retry-after", "Tue, 14 Nov 2023 22:14:05 GMT")])
    #expect(channel.classify(dated, at: now).retryDelay == .some(45), sourceLocation: sourceLocation)
    let past = HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "Tue, 14 Nov 2023 22:00:00 GMT")])
    #expect(channel.classify(past, at: now).retryDelay == .some(0), sourceLocation: sourceLocation)
    for status in [400, 401, 403, 404, 410] {
        let verdict = channel.classify(HTTPResponse(status: status, body: Data("bad \(secret) thing".utf8)), at: now)
        #expect(verdict.isDead, "HTTP \(status)", sourceLocation: sourceLocation)
        #expect(verdict.reason.contains("HTTP \(status)"), sourceLocation: sourceLocation)
        #expect(!verdict.reason.contains(secret), sourceLocation: sourceLocation)
    }
    for status in [404, 410] {
        #expect(channel.classify(HTTPResponse(status: status), at: now).reason.contains("gone"), sourceLocation: sourceLocation)
    }
    let before = channel.classify(transportError: "could not connect to \(secret)", requestMayHaveBeenSent: false)
    #expect(before.retryDelay != nil, sourceLocation: sourceLocation)
    #expect(!before.reason.contains(secret), sourceLocation: sourceLocation)
    let after = channel.classify(transportError: "operation timed out", requestMayHaveBeenSent: true)
    if channel.deduplicatesByKey {
        #expect(after.retryDelay != nil, sourceLocation: sourceLocation)
    } else {
        #expect(after.isUnknown, sourceLocation: sourceLocation)
    }
}

/// Checks that no secret appears anywhere in a redacted request.
func checkRedacted(_ request: HTTPRequest, channel: any HTTPChannel, secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let redacted = channel.redacted(request)
    let everything = redacted.url + " " + redacted.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + " "
        + String(decoding: redacted.body, as: UTF8.self)
    for secret in secrets {
        #expect(!everything.contains(secret), "\(secret) leaked", sourceLocation: sourceLocation)
    }
    #expect(everything.contains("****"), sourceLocation: sourceLocation)
    #expect(redacted.method == request.method, sourceLocation: sourceLocation)
}

/// Expects `make` to throw a ChannelError whose message does not contain any of `secrets`.
func expectRejected(_ settings: DestinationSettings, secrets: [String] = [], containing fragment: String? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try ChannelRegistry.channel(for: settings, home: URL(fileURLWithPath: "/nonexistent"))
        Issue.record("expected \(settings.url) to be rejected", sourceLocation: sourceLocation)
    } catch {
        for secret in secrets {
            #expect(!error.message.contains(secret), "error repeats a secret: \(error.message)", sourceLocation: sourceLocation)
        }
        if let fragment {
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        }
    }
}

extension ChannelRegistry {
    /// The channel for settings that name no file outbox (the home is then irrelevant).
    /// Every channel these tests make this way speaks HTTP.
    static func channel(for settings: DestinationSettings) throws -> any HTTPChannel {
        let channel = try channel(for: settings, home: URL(fileURLWithPath: "/nonexistent"))
        return try #require(channel as? any HTTPChannel)
    }
}
