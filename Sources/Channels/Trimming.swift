extension String {
    /// The text without leading and trailing white space (new lines included).
    ///
    /// Foundation's `trimmingCharacters(in:)` goes through NSString and costs microseconds per call, which
    /// adds up over a destination's ten thousand subscriber URLs; this returns the text itself when there is
    /// nothing to trim.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(Substring(scalars[first...last]))
    }
}
