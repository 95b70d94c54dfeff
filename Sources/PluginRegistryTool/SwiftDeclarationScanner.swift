import Foundation

/// A top-level type declaration or extension found in a Swift source file.
struct TopLevelDeclaration {
    /// `struct`, `class`, `enum`, `actor` or `extension`.
    var kind: String
    /// The declared or extended type, e.g. `FundingSummary` or `Outer.Inner`.
    var name: String
    /// Access and other modifiers written before the keyword.
    var modifiers: Set<String>
    /// The last component of each inherited type, e.g. `ReportPlugin` for `ReportKit.ReportPlugin`.
    var inherits: [String]
    /// Whether the declaration has generic parameters.
    var isGeneric: Bool
    var line: Int
}

/// Finds top-level declarations in Swift source without a compiler: enough of a lexer to skip
/// comments and string literals and to count braces, and enough of a parser to read
/// `modifiers kind Name<...>: A, B & C where ... {`.
///
/// The rule it implements (documented for plugin authors): a plugin is a `struct`, `class`,
/// `enum` or `actor` declared at the top level of a file whose inheritance clause names
/// `ReportPlugin` (or `ReportKit.ReportPlugin`), or any top-level type named by a top-level
/// `extension Name: ReportPlugin`. Types nested in other types, and conformances gained through
/// a protocol that refines `ReportPlugin`, are not found.
struct SwiftDeclarationScanner {
    private struct Token {
        var text: String
        var line: Int
    }

    private static let typeKeywords: Set<String> = ["struct", "class", "enum", "actor", "extension"]
    private static let modifierWords: Set<String> = [
        "public", "open", "package", "internal", "fileprivate", "private", "final", "indirect",
        "nonisolated", "sending", "borrowing", "consuming",
    ]

    static func declarations(in source: String) -> [TopLevelDeclaration] {
        let tokens = tokenize(Array(source.unicodeScalars))
        var result: [TopLevelDeclaration] = []
        var depth = 0
        var i = 0
        while i < tokens.count {
            let text = tokens[i].text
            if text == "{" { depth += 1; i += 1; continue }
            if text == "}" { depth = max(0, depth - 1); i += 1; continue }
            guard depth == 0, typeKeywords.contains(text), i + 1 < tokens.count, isIdentifier(tokens[i + 1].text) else {
                i += 1
                continue
            }
            // `class func` and `class var` only occur inside types, so at depth 0 `class` starts a type.
            let (declaration, next) = parseDeclaration(tokens, keywordAt: i)
            result.append(declaration)
            i = next
        }
        return result
    }

    private static func parseDeclaration(_ tokens: [Token], keywordAt start: Int) -> (TopLevelDeclaration, Int) {
        var modifiers: Set<String> = []
        var back = start - 1
        while back >= 0 {
            let text = tokens[back].text
            if modifierWords.contains(text) {
                modifiers.insert(text)
            } else if text == ")" {
                // The arguments of an attribute, e.g. `@available(macOS 14, *)` or `private(set)`.
                var parens = 0
                while back >= 0 {
                    if tokens[back].text == ")" { parens += 1 }
                    if tokens[back].text == "(" { parens -= 1; if parens == 0 { break } }
                    back -= 1
                }
            } else if !text.hasPrefix("@") {
                break
            }
            back -= 1
        }
        var i = start + 1
        var name = tokens[i].text
        i += 1
        while i + 1 < tokens.count, tokens[i].text == ".", isIdentifier(tokens[i + 1].text) {
            name += "." + tokens[i + 1].text
            i += 2
        }
        var isGeneric = false
        if i < tokens.count, tokens[i].text == "<" {
            isGeneric = true
            i = skipAngles(tokens, from: i)
        }
        var inherits: [String] = []
        if i < tokens.count, tokens[i].text == ":" {
            i += 1
            var current: String?
            while i < tokens.count, tokens[i].text != "{", tokens[i].text != "where" {
                let text = tokens[i].text
                if text == "<" {
                    i = skipAngles(tokens, from: i)
                    continue
                }
                if text == "," || text == "&" {
                    if let type = current { inherits.append(type) }
                    current = nil
                } else if isIdentifier(text) {
                    current = text
                }
                i += 1
            }
            if let type = current { inherits.append(type) }
        }
        let declaration = TopLevelDeclaration(kind: tokens[start].text, name: name, modifiers: modifiers,
                                              inherits: inherits, isGeneric: isGeneric, line: tokens[start].line)
        return (declaration, i)
    }

    private static func skipAngles(_ tokens: [Token], from start: Int) -> Int {
        var angles = 0
        var i = start
        while i < tokens.count {
            if tokens[i].text == "<" { angles += 1 }
            if tokens[i].text == ">" { angles -= 1; if angles == 0 { return i + 1 } }
            if tokens[i].text == "{" { return i }
            i += 1
        }
        return i
    }

    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        return first == "_" || first == "`" || CharacterSet.letters.contains(first)
    }

    /// Identifiers (attributes keep their `@`), and single punctuation characters; comments and
    /// string literals (with interpolations, multi-line and raw forms) produce nothing.
    private static func tokenize(_ s: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        var line = 1
        func isIdentifierScalar(_ c: Unicode.Scalar) -> Bool {
            c == "_" || CharacterSet.alphanumerics.contains(c)
        }
        while i < s.count {
            let c = s[i]
            if c == "\n" { line += 1; i += 1; continue }
            if CharacterSet.whitespaces.contains(c) { i += 1; continue }
            if c == "/", i + 1 < s.count, s[i + 1] == "/" {
                while i < s.count, s[i] != "\n" { i += 1 }
                continue
            }
            if c == "/", i + 1 < s.count, s[i + 1] == "*" {
                var nesting = 0
                while i < s.count {
                    if s[i] == "\n" { line += 1 }
                    if s[i] == "/", i + 1 < s.count, s[i + 1] == "*" { nesting += 1; i += 2; continue }
                    if s[i] == "*", i + 1 < s.count, s[i + 1] == "/" {
                        nesting -= 1; i += 2
                        if nesting == 0 { break }
                        continue
                    }
                    i += 1
                }
                continue
            }
            if c == "#" || c == "\"" {
                var hashes = 0
                var j = i
                while j < s.count, s[j] == "#" { hashes += 1; j += 1 }
                if j < s.count, s[j] == "\"" {
                    i = skipString(s, quoteAt: j, hashes: hashes, line: &line)
                    continue
                }
            }
            if c == "@" || c == "`" || isIdentifierScalar(c) {
                var j = i + 1
                if c == "`" {
                    while j < s.count, s[j] != "`", s[j] != "\n" { j += 1 }
                    let text = String(String.UnicodeScalarView(s[(i + 1)..<min(j, s.count)]))
                    tokens.append(Token(text: text, line: line))
                    i = j + 1
                    continue
                }
                while j < s.count, isIdentifierScalar(s[j]) { j += 1 }
                tokens.append(Token(text: String(String.UnicodeScalarView(s[i..<j])), line: line))
                i = j
                continue
            }
            tokens.append(Token(text: String(c), line: line))
            i += 1
        }
        return tokens
    }

    /// Returns the index just past the literal whose opening quote is at `quote`.
    private static func skipString(_ s: [Unicode.Scalar], quoteAt quote: Int, hashes: Int, line: inout Int) -> Int {
        let multiline = quote + 2 < s.count && s[quote + 1] == "\"" && s[quote + 2] == "\""
        var i = quote + (multiline ? 3 : 1)
        func closes(at index: Int) -> Bool {
            let quotes = multiline ? 3 : 1
            guard index + quotes + hashes <= s.count else { return false }
            for k in 0..<quotes where s[index + k] != "\"" { return false }
            for k in 0..<hashes where s[index + quotes + k] != "#" { return false }
            return true
        }
        while i < s.count {
            if s[i] == "\n" {
                line += 1
                if !multiline { return i }
            }
            if s[i] == "\\" {
                var j = i + 1
                var escapeHashes = 0
                while j < s.count, s[j] == "#" { escapeHashes += 1; j += 1 }
                if escapeHashes == hashes, j < s.count {
                    if s[j] == "(" {
                        i = skipInterpolation(s, openAt: j, line: &line)
                        continue
                    }
                    i = j + 1
                    continue
                }
            }
            if closes(at: i) { return i + (multiline ? 3 : 1) + hashes }
            i += 1
        }
        return i
    }

    private static func skipInterpolation(_ s: [Unicode.Scalar], openAt open: Int, line: inout Int) -> Int {
        var parens = 0
        var i = open
        while i < s.count {
            let c = s[i]
            if c == "\n" { line += 1 }
            if c == "(" { parens += 1 }
            if c == ")" { parens -= 1; if parens == 0 { return i + 1 } }
            if c == "\"" || c == "#" {
                var hashes = 0
                var j = i
                while j < s.count, s[j] == "#" { hashes += 1; j += 1 }
                if j < s.count, s[j] == "\"" {
                    i = skipString(s, quoteAt: j, hashes: hashes, line: &line)
                    continue
                }
            }
            i += 1
        }
        return i
    }
}
