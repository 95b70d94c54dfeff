import Crypto
import Foundation

/// GOV.UK Notify's API key and the JWT made from it for each request (protocols.md §11.4).
///
/// A key is `{key_name}-{service_id}-{secret}`, two UUIDs at the end. The name may itself contain `-`,
/// so the parts are cut from the end, as the official client does: the service id is `key[-73:-37]`,
/// the secret `key[-36:]`. The token is `{"typ":"JWT","alg":"HS256"}` and `{"iss":service_id,"iat":now}`,
/// signed with HMAC-SHA256 keyed by the secret's ASCII text; Notify accepts it for 30 seconds either
/// side of `iat`, so a fresh one is made for every attempt (never stored).
public struct NotifyKey: Sendable, Hashable {
    /// The service id (the token's issuer).
    public let serviceID: String
    /// The signing secret. Never shown.
    let secret: String
    /// The whole key as configured. Never shown.
    let whole: String

    /// Splits `key`; throws when it does not end in two UUIDs (the message never repeats the key).
    public init(_ key: String) throws(ChannelError) {
        let key = key.trimmingCharacters(in: .whitespaces)
        let characters = Array(key)
        guard characters.count >= 74, characters[characters.count - 37] == "-" else {
            throw ChannelError("a GOV.UK Notify API key is key_name-SERVICE_ID-SECRET (two UUIDs at the end); this one is not")
        }
        let service = String(characters[(characters.count - 73)..<(characters.count - 37)])
        let secret = String(characters[(characters.count - 36)...])
        guard Self.isUUID(service), Self.isUUID(secret) else {
            throw ChannelError("a GOV.UK Notify API key is key_name-SERVICE_ID-SECRET (two UUIDs at the end); this one is not")
        }
        serviceID = service.lowercased()
        self.secret = secret
        whole = key
    }

    /// Whether `text` is a UUID in its 8-4-4-4-12 hexadecimal form.
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// The bearer token for a request made at `now`.
    public func token(at now: Date) -> String {
        let header = Self.base64URL(Data(#"{"typ":"JWT","alg":"HS256"}"#.utf8))
        let iat = Int(now.timeIntervalSince1970.rounded(.down))
        let claims = Self.base64URL(JSON.object([("iss", .string(serviceID)), ("iat", .int(iat))]).data)
        let signingInput = header + "." + claims
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return signingInput + "." + Self.base64URL(Data(signature))
    }

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
