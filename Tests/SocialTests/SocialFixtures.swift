import Foundation
import ReportKit

/// Digests with what social posts must survive: emoji (ZWJ, skin tones, flags), combining marks, non-Latin
/// scripts, £ amounts, long URLs and hashtags, long enough to need threads.
enum SocialFixture {
    static let logicalTime = Date(timeIntervalSince1970: 1_763_800_000)

    static let names = [
        "Cwmni Cydweithredol Cymru", "Spółdzielnia Socjalna „Razem”", "مؤسسة الخير", "सहकारी समिति", "东京互助会",
        "Café Mutuel (e\u{301}quipe)", "Knowsley Youth Mutual 👩🏽‍🔬", "Ørsted Care 🇬🇧", "Keycap Trust 1️⃣", "Family Hub 👨‍👩‍👧‍👦",
    ]

    /// `count` items over two sections, each with a unique marker (`#07`) and a link.
    static func digest(items count: Int, longLinks: Bool = true) -> Digest {
        let items = (0..<count).map { index -> Digest.Item in
            let name = names[index % names.count]
            let path = longLinks ? "grants/2026/spring-round/\(index)/award-details-and-evaluation-report?ref=herald" : "g/\(index)"
            return Digest.Item("M\(String(format: "%02d", index)) \(name) received £\(12_500 + index * 1_250).50 to spin out. "
                + "They started in 2013 — read more.", link: URL(string: "https://www.example.org/\(path)"))
        }
        let half = count / 2
        return Digest(
            title: "Mutuals Support Programme: 10 years on ✨",
            summary: "Ten years ago these organisations spun out of public services. Here is where they are now.",
            sections: [Digest.Section(title: "Spun out in 2016", items: Array(items[..<half])),
                       Digest.Section(title: "Spun out in 2017", items: Array(items[half...]))],
            hashtags: ["Mutuals", "PublicServices", "10YearsOn"],
            links: [Digest.Link(title: "360Giving data", url: URL(string: "https://grantnav.threesixtygiving.org/search?query=mutuals")!)])
    }

    /// Every item marker ("M07") in `digest`.
    static func markers(_ digest: Digest) -> [String] {
        digest.sections.flatMap { $0.items.map { String($0.text.prefix(3)) } }
    }
}
