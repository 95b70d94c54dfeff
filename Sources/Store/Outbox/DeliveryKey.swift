import Foundation

/// The idempotency key of a ``Delivery``: derived from (job, logical time, destination, recipient, part), so that
/// re-running a logical time produces the same keys and the outbox never holds a delivery twice.
///
/// A key is 26 characters from `a`–`z` and `2`–`7` (lowercase base32), safe in any header, URL path, Message-ID or
/// record key. It is what services that deduplicate receive: Mastodon's `Idempotency-Key`, Matrix's `txnId`,
/// Standard Webhooks' `webhook-id`.
///
/// ## Derivation (version 1; never change it, since keys already sent must be derivable again)
///
/// 1. The fields, in this order, as strings: the job name; the logical time as integer milliseconds since
///    1970-01-01T00:00:00Z in decimal (rounded to the nearest millisecond, as the store keeps it; `-` for times
///    before 1970); the destination name; the recipient (`""` when the destination has one); the part index
///    (0 for the first part) in decimal. Strings are taken as their UTF-8 bytes as given, without normalisation.
/// 2. The message is the ASCII bytes `herald-delivery-key-v1`, then for each field a newline (`0x0A`), the field's
///    UTF-8 byte count in decimal, a colon, and the field's bytes (a netstring-like framing, so no two field lists
///    give the same message).
/// 3. The key is the first 16 bytes of the SHA-256 of the message, in RFC 4648 base32, lowercase, without padding.
///
/// In Python:
/// ```python
/// fields = [job, str(millis), destination, recipient, str(part)]
/// msg = b"herald-delivery-key-v1" + b"".join(b"\n%d:%s" % (len(f.encode()), f.encode()) for f in fields)
/// key = base64.b32encode(hashlib.sha256(msg).digest()[:16]).decode().rstrip("=").lower()
/// ```
public struct DeliveryKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The key as stored and sent.
    public let rawValue: String

    /// Wraps a stored key.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The key of one delivery: see the type's documentation for the exact derivation.
    ///
    /// - Parameters:
    ///   - job: The job's name.
    ///   - logicalTime: The run's logical time (only its milliseconds count).
    ///   - destination: The destination's name.
    ///   - recipient: The recipient, or `""` when the destination has a single one.
    ///   - part: The part's index, from 0.
    public static func derive(
        job: String,
        logicalTime: Date,
        destination: String,
        recipient: String,
        part: Int
    ) -> DeliveryKey {
        let fields = [job, String(StoredTime.millis(logicalTime)), destination, recipient, String(part)]
        var message = Array("herald-delivery-key-v1".utf8)
        for field in fields {
            let bytes = Array(field.utf8)
            message.append(0x0A)
            message.append(contentsOf: Array(String(bytes.count).utf8))
            message.append(UInt8(ascii: ":"))
            message.append(contentsOf: bytes)
        }
        let digest = SHA256.hash(message)
        return DeliveryKey(rawValue: base32(digest.prefix(16)))
    }

    public static func < (lhs: DeliveryKey, rhs: DeliveryKey) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    /// RFC 4648 base32, lowercase, unpadded.
    private static func base32(_ bytes: ArraySlice<UInt8>) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int((buffer >> UInt32(bits)) & 0x1F)])
            }
        }
        if bits > 0 {
            output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
