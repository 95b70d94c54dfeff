import Foundation
import ReportKit

/// One line from Herald to the child: `{"version":1,"id":7,"type":"report","report":{...}}`.
public struct PluginRequest: Sendable, Hashable, Codable {
    /// What is asked.
    public enum Body: Sendable, Hashable {
        /// Re-send the hello (name, version and summary of every plugin).
        case hello
        /// List the plugins; answered with ``PluginResponse/Body/plugins(_:)``.
        case list
        /// Run a plugin; answered with a digest or an error.
        case report(ReportRequest)
        /// Decode options for a plugin; answered with ``PluginResponse/Body/valid`` or an error.
        case validate(ValidateRequest)
    }

    /// The protocol version of the sender.
    public var version: Int
    /// Chosen by Herald, unique per child; the response carries it back.
    public var id: UInt64
    /// What is asked.
    public var body: Body

    /// Creates a request in this build's protocol version.
    public init(id: UInt64, body: Body) {
        self.version = PluginProtocol.version
        self.id = id
        self.body = body
    }

    private enum CodingKeys: String, CodingKey { case version, id, type, report, validate }

    /// Decodes a message written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        id = try c.decode(UInt64.self, forKey: .id)
        switch try c.decode(String.self, forKey: .type) {
        case "hello": body = .hello
        case "list": body = .list
        case "report": body = .report(try c.decode(ReportRequest.self, forKey: .report))
        case "validate": body = .validate(try c.decode(ValidateRequest.self, forKey: .validate))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown request type '\(other)'")
        }
    }

    /// Encodes `version`, `id`, `type` and the body under a key named after the type.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(id, forKey: .id)
        switch body {
        case .hello: try c.encode("hello", forKey: .type)
        case .list: try c.encode("list", forKey: .type)
        case .report(let request):
            try c.encode("report", forKey: .type)
            try c.encode(request, forKey: .report)
        case .validate(let request):
            try c.encode("validate", forKey: .type)
            try c.encode(request, forKey: .validate)
        }
    }
}

/// One line from the child to Herald: `{"version":1,"id":7,"type":"digest","digest":{...}}`.
public struct PluginResponse: Sendable, Hashable, Codable {
    /// What is answered.
    public enum Body: Sendable, Hashable {
        /// The child's startup line (id 0), and the answer to a `hello` request.
        case hello(HelloMessage)
        /// The answer to `list`.
        case plugins([PluginDescription])
        /// A report's result; may be ``Digest/empty``.
        case digest(Digest)
        /// The answer to a `validate` whose options decoded.
        case valid
        /// The request failed cleanly; the child carries on.
        case error(PluginFailure)
    }

    /// The protocol version of the sender.
    public var version: Int
    /// The id of the request answered, or ``PluginProtocol/helloID``.
    public var id: UInt64
    /// What is answered.
    public var body: Body

    /// Creates a response in this build's protocol version.
    public init(id: UInt64, body: Body) {
        self.version = PluginProtocol.version
        self.id = id
        self.body = body
    }

    private enum CodingKeys: String, CodingKey { case version, id, type, hello, plugins, digest, error }

    /// Decodes a message written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        id = try c.decode(UInt64.self, forKey: .id)
        switch try c.decode(String.self, forKey: .type) {
        case "hello": body = .hello(try c.decode(HelloMessage.self, forKey: .hello))
        case "plugins": body = .plugins(try c.decode([PluginDescription].self, forKey: .plugins))
        case "digest": body = .digest(try c.decode(Digest.self, forKey: .digest))
        case "valid": body = .valid
        case "error": body = .error(try c.decode(PluginFailure.self, forKey: .error))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown response type '\(other)'")
        }
    }

    /// Encodes `version`, `id`, `type` and the body under a key named after the type.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(id, forKey: .id)
        switch body {
        case .hello(let hello):
            try c.encode("hello", forKey: .type)
            try c.encode(hello, forKey: .hello)
        case .plugins(let plugins):
            try c.encode("plugins", forKey: .type)
            try c.encode(plugins, forKey: .plugins)
        case .digest(let digest):
            try c.encode("digest", forKey: .type)
            try c.encode(digest, forKey: .digest)
        case .valid:
            try c.encode("valid", forKey: .type)
        case .error(let failure):
            try c.encode("error", forKey: .type)
            try c.encode(failure, forKey: .error)
        }
    }
}
