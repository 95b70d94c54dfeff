import Crypto
import Foundation
import ReportKit

/// A SHA-256 of a digest's canonical JSON, recorded on the run so that what was posted can be
/// matched with what a later run of the same logical time produces.
enum DigestHash {
    static func of(_ digest: ReportKit.Digest) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(digest)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
