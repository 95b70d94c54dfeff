import Foundation
@testable import HeraldCore
import Testing

@Suite struct RecipientsFileTests {
    @Test func linesKeepTheirNumbersAndSkipCommentsBlanksAndLineEndings() throws {
        let file = try temporaryDirectory().appendingPathComponent("list.txt")
        try Data("# header\r\n  a@example.gov.uk \r\n\r\n\t# indented comment\nb@example.gov.uk\n   \nhttps://x.example/h#frag\n".utf8)
            .write(to: file)
        let lines = try ConfigurationLoader.recipientLines(file)
        #expect(lines.map(\.0) == [2, 5, 7])
        #expect(lines.map(\.1) == ["a@example.gov.uk", "b@example.gov.uk", "https://x.example/h#frag"])
    }
}
