import Channels
import Foundation
import ReportKit
import Testing

@Suite struct PlainTextRenderingTests {
    @Test func rendersTitleSummarySectionsHashtagsAndSources() {
        let digest = Digest(
            title: "Anniversaries this week", summary: "1 anniversary",
            sections: [Digest.Section(title: "Monday 1 April 2013", items: [
                Digest.Item("Spiral Health CIC: 1 year since spinning out", link: URL(string: "https://example.org/spiral")),
            ]), Digest.Section(title: "Empty", items: [])],
            hashtags: ["mutuals"], links: [Digest.Link(title: "Wikipedia", url: URL(string: "https://example.org/w")!)])
        #expect(PlainTextRendering.render(digest) == """
            Anniversaries this week

            1 anniversary

            Monday 1 April 2013
            - Spiral Health CIC: 1 year since spinning out (https://example.org/spiral)

            #mutuals

            Sources
            - Wikipedia: https://example.org/w

            """)
    }
}
