import Foundation

/// The byte-level encodings a mail message needs: quoted-printable and base64 bodies within the line
/// limits, RFC 2047 encoded-words for non-ASCII header text, and header folding.
///
/// Everything here works on bytes and writes CRLF line endings, because libcurl's SMTP dot-stuffing
/// only recognises CRLF (protocols.md §10) and RFC 5322 counts line lengths in octets.
enum MIMEEncoding {
    /// RFC 2045: encoded lines are at most 76 characters (not counting CRLF).
    static let encodedLineLimit = 76
    /// RFC 5322 §2.1.1: a line is at most 998 octets; 78 is the recommended limit for headers.
    static let hardLineLimit = 998
    static let foldLimit = 78

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
    static let crlf: [UInt8] = [13, 10]

    // MARK: Bodies

    /// `text` as quoted-printable (RFC 2045 §6.7) with CRLF line breaks; every line ≤ 76 characters.
    ///
    /// Line breaks in `text` (LF, CRLF or CR) become hard CRLF breaks; long lines get soft breaks
    /// (`=` CRLF) that never split an `=XX` escape. A space or tab before a break is escaped, as rule 3
    /// requires. A leading `.` is left as is: libcurl dot-stuffs it on the wire and the receiver undoes it.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var lineLength = 0
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 13 || byte == 10 {
                out += crlf
                lineLength = 0
                index += (byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10) ? 2 : 1
                continue
            }
            let nextIsBreak = index + 1 >= bytes.count || bytes[index + 1] == 13 || bytes[index + 1] == 10
            let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !nextIsBreak)
            let width = literal ? 1 : 3
            // Keep room for the soft break's `=` unless this is the line's last character.
            let room = nextIsBreak ? encodedLineLimit : encodedLineLimit - 1
            if lineLength + width > room {
                out += [61] + crlf
                lineLength = 0
            }
            if literal {
                out.append(byte)
            } else {
                out += [61, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
            lineLength += width
            index += 1
        }
        return out
    }

    /// `bytes` as base64 in lines of 76 characters, CRLF-separated, ending with CRLF.
    static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        let encoded = Array(Data(bytes).base64EncodedString().utf8)
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count + encoded.count / 38 + 2)
        var start = 0
        while start < encoded.count {
            let end = min(start + encodedLineLimit, encoded.count)
            out += encoded[start..<end]
            out += crlf
            start = end
        }
        return out
    }

    /// Whether a body is better sent as base64 than quoted-printable: when more than a third of its
    /// bytes are outside ASCII, QP would roughly triple them and base64 is smaller.
    static func prefersBase64(_ text: String) -> Bool {
        let total = text.utf8.count
        guard total > 0 else { return false }
        let high = text.utf8.reduce(0) { $0 + ($1 >= 0x80 ? 1 : 0) }
        return high * 3 > total
    }

    // MARK: Headers

    /// Whether `text` can appear in a header as is: printable ASCII and spaces, and nothing that a
    /// decoder would mistake for an encoded-word.
    static func isPlainHeaderText(_ text: String) -> Bool {
        !text.contains("=?") && text.utf8.allSatisfy { $0 == 32 || ($0 >= 33 && $0 <= 126) }
    }

    /// A whole header line (without the final CRLF), folded so that every physical line stays within
    /// 78 characters where the value has spaces to fold at (never beyond 998). Non-ASCII or
    /// encoded-word-like values become RFC 2047 encoded-words.
    static func header(_ name: String, _ value: String) -> String {
        let value = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if isPlainHeaderText(value) { return fold(name + ": " + value) }
        return name + ": " + encodedWords(value, firstLineUsed: name.utf8.count + 2)
    }

    /// Folds a plain ASCII header line at spaces (the space starts the continuation line, RFC 5322 §2.2.3).
    static func fold(_ line: String) -> String {
        guard line.utf8.count > foldLimit else { return line }
        var lines: [String] = []
        var current = ""
        for (index, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index == 0 {
                current = String(word)
            } else if current.utf8.count + 1 + word.utf8.count > foldLimit, !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = " " + word
            } else {
                current += " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// `text` as one or more `=?UTF-8?B?…?=` words (RFC 2047), separated by CRLF SPACE, each word at most
    /// 75 characters and each line at most 76 (the first line already holds `firstLineUsed`
    /// characters). Words break between characters, never inside a UTF-8 sequence; a character too
    /// large for one word (a long emoji sequence) is split between its scalars, which decoders rejoin
    /// because the whitespace between adjacent encoded-words is ignored.
    static func encodedWords(_ text: String, firstLineUsed: Int) -> String {
        let overhead = "=?UTF-8?B??=".utf8.count
        var words: [String] = []
        var pending: [UInt8] = []
        var available = max(encodedLineLimit - firstLineUsed, 24) - overhead   // characters of base64 on this line

        func fits(_ count: Int) -> Bool { (count + 2) / 3 * 4 <= available }
        func flush() {
            guard !pending.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(pending).base64EncodedString() + "?=")
            pending = []
            available = encodedLineLimit - 1 - overhead   // continuation lines start with a space
        }

        for character in text {
            let bytes = Array(String(character).utf8)
            if fits(pending.count + bytes.count) {
                pending += bytes
                continue
            }
            flush()
            if fits(bytes.count) {
                pending = bytes
            } else {
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if !fits(pending.count + scalarBytes.count) { flush() }
                    pending += scalarBytes
                }
            }
        }
        flush()
        if words.isEmpty { return "" }
        return words.joined(separator: "\r\n ")
    }

    /// A display name as the tokens of a phrase: the name as is when it is plain atoms, one quoted
    /// string when it is ASCII with specials (`"Smith, Ann"`), else its plain words as atoms and each run
    /// of other words as encoded-words.
    ///
    /// Keeping plain words unencoded matters: decoders disagree about the space between two adjacent
    /// encoded-words in a phrase (RFC 2047 says drop it; Python's `email` keeps it), but all keep the
    /// space between an encoded-word and an atom. A long run is split after a space, with the space
    /// inside the earlier word, so RFC decoders read it right and no word is ever cut in two.
    static func phraseTokens(_ name: String) -> [String] {
        if isPlainHeaderText(name) {
            if name.unicodeScalars.allSatisfy({ phraseText.contains($0) }) {
                return name.split(separator: " ").map(String.init)
            }
            return ["\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""]
        }
        var tokens: [String] = []
        var run: [String] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            tokens += encodedWordsForRun(run)
            run = []
        }
        for word in name.split(separator: " ").map(String.init) {
            if word.unicodeScalars.allSatisfy({ phraseText.contains($0) && $0 != " " }) && !word.contains("=?") {
                flushRun()
                tokens.append(word)
            } else {
                run.append(word)
            }
        }
        flushRun()
        return tokens
    }

    private static let phraseText = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~ ")

    /// Encoded-words (≤ 75 characters each) for consecutive words, packed whole where they fit, each
    /// later word's separating space carried at the end of the word before it.
    private static func encodedWordsForRun(_ words: [String]) -> [String] {
        let maxBytes = 45   // 60 base64 characters: a 72-character word, which fits a folded line
        var result: [String] = []
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            result.append("=?UTF-8?B?" + Data(pending).base64EncodedString() + "?=")
            pending = []
        }
        for (index, word) in words.enumerated() {
            let unit = Array((word + (index < words.count - 1 ? " " : "")).utf8)
            if pending.count + unit.count <= maxBytes {
                pending += unit
            } else if unit.count <= maxBytes {
                flush()
                pending = unit
            } else {
                // A single word longer than one encoded-word: split it between characters.
                flush()
                for character in word + (index < words.count - 1 ? " " : "") {
                    let bytes = Array(String(character).utf8)
                    if pending.count + bytes.count > maxBytes { flush() }
                    pending += bytes
                }
            }
        }
        flush()
        return result
    }

    /// Joins tokens with spaces, folding (CRLF SPACE) before a token that would take the line past
    /// 76 characters; `used` is how much of the first line is taken already.
    static func foldTokens(_ tokens: [String], used: Int) -> String {
        var out = ""
        var lineLength = used
        for (index, token) in tokens.enumerated() {
            if index == 0 {
                out += token
                lineLength += token.utf8.count
            } else if lineLength + 1 + token.utf8.count > encodedLineLimit {
                out += "\r\n " + token
                lineLength = 1 + token.utf8.count
            } else {
                out += " " + token
                lineLength += 1 + token.utf8.count
            }
        }
        return out
    }

    /// RFC 5322 date-time in UTC, e.g. `Sat, 22 Nov 2026 09:00:00 +0000`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[(c.weekday ?? 1) - 1]), \(two(c.day)) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
