import Crypto
import Foundation

/// Signing per the Standard Webhooks specification (standardwebhooks.com), symmetric scheme `v1`.
///
/// The HMAC key is the base64-decoded part of a `whsec_…` secret; the signed content is
/// `{webhook-id}.{webhook-timestamp}.{body}`; the header entry is `v1,` + base64(HMAC-SHA256).
public enum StandardWebhooks {
    /// The secret's prefix.
    public static let secretPrefix = "whsec_"

    /// The HMAC key of a `whsec_` secret; throws (without repeating it) when it is not one.
    public static func key(fromSecret secret: String) throws(ChannelError) -> Data {
        guard secret.hasPrefix(secretPrefix) else {
            throw ChannelError("the signing secret must be a Standard Webhooks secret: whsec_ followed by base64")
        }
        var encoded = String(secret.dropFirst(secretPrefix.count))
        while encoded.count % 4 != 0 { encoded += "=" }
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else {
            throw ChannelError("the signing secret is not valid: after whsec_ it must be base64")
        }
        return key
    }

    /// `v1,<base64 signature>` of `body` for message `id` at `timestamp` (Unix seconds).
    public static func signature(key: Data, id: String, timestamp: Int, body: Data) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Whether `signatureHeader` (space-separated `version,signature` entries) holds a valid `v1`
    /// signature for the message, and `timestamp` is within `tolerance` of `now` — what a receiver checks.
    public static func verify(
        key: Data, id: String, timestamp: String, body: Data, signatureHeader: String,
        now: Date = Date(), tolerance: TimeInterval = 300
    ) -> Bool {
        guard let seconds = Int(timestamp), abs(Double(seconds) - now.timeIntervalSince1970) <= tolerance else { return false }
        let expected = Data(signature(key: key, id: id, timestamp: seconds, body: body).dropFirst(3).utf8)
        for entry in signatureHeader.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { continue }
            let given = Data(parts[1].utf8)
            // Constant-time comparison.
            guard given.count == expected.count else { continue }
            var difference: UInt8 = 0
            for (a, b) in zip(given, expected) { difference |= a ^ b }
            if difference == 0 { return true }
        }
        return false
    }
}
