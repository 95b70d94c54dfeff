import Foundation

/// One header line. Names compare case-insensitively where it matters (``HTTPResponse/header(_:)``);
/// the order and case given are what goes on the wire.
public struct HTTPHeader: Sendable, Hashable {
    /// The header's name, e.g. `Content-Type`.
    public var name: String
    /// The header's value.
    public var value: String

    /// Creates a header.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request as Herald sends it: built by a channel, sent by ``CurlKit``, shown (redacted)
/// by `herald preview --format json`.
public struct HTTPRequest: Sendable, Hashable {
    /// `GET`, `POST`, `PUT`, …
    public var method: String
    /// The absolute URL (http or https).
    public var url: String
    /// Headers in order.
    public var headers: [HTTPHeader]
    /// The body; empty for none.
    public var body: Data

    /// Creates a request.
    public init(method: String, url: String, headers: [HTTPHeader] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first header called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// What came back.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code, e.g. 200.
    public var status: Int
    /// Response headers in order received.
    public var headers: [HTTPHeader]
    /// The body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeader] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
