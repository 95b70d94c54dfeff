import Foundation
import Gathering
import Testing
import Yams

@Suite struct YAMLJSONTests {
    @Test func plainScalarsAreTypedAndQuotedOnesStayStrings() throws {
        let node = try #require(try YAMLJSON.compose("""
            int: 12
            float: 1.5
            bool: true
            yes: yes
            null: null
            tilde: ~
            empty:
            hex: 0x1F
            octal: 0o17
            underscores: 1_000
            sexagesimal: 1:30
            infinity: -.inf
            exponent: 1e3
            date: 2024-01-02
            quoted int: "12"
            quoted bool: 'true'
            quoted null: "null"
            tagged: !!str 12
            text: twelve
            list: [1, "1", 1.0, false, ~]
            """))
        let object = try #require(YAMLJSON.value(node) as? [String: Any])
        #expect(object["int"] as? Int == 12)
        #expect(object["float"] as? Double == 1.5)
        #expect(object["bool"] as? Bool == true)
        #expect(object["yes"] as? Bool == true)
        #expect(object["null"] is NSNull)
        #expect(object["tilde"] is NSNull)
        #expect(object["empty"] is NSNull)
        #expect(object["hex"] as? Int == 31)
        #expect(object["octal"] as? Int == 15)
        #expect(object["underscores"] as? Int == 1000)
        #expect(object["sexagesimal"] as? Int == 90)
        #expect(object["infinity"] as? Double == -.infinity)
        #expect(object["exponent"] as? Double == 1000)
        #expect(object["date"] as? String == "2024-01-02")
        #expect(object["quoted int"] as? String == "12")
        #expect(object["quoted bool"] as? String == "true")
        #expect(object["quoted null"] as? String == "null")
        #expect(object["tagged"] as? String == "12")
        #expect(object["text"] as? String == "twelve")
        let list = try #require(object["list"] as? [Any])
        #expect(list[0] as? Int == 1)
        #expect(list[1] as? String == "1")
        #expect(list[2] as? Double == 1.0)
        #expect(list[3] as? Bool == false)
        #expect(list[4] is NSNull)
        let json = String(decoding: try YAMLJSON.data(try #require(try YAMLJSON.compose("[12, '12', 1.5, true, null, ~]"))), as: UTF8.self)
        #expect(json == #"[12,"12",1.5,true,null,null]"#)
    }

    /// The hand-written rules agree with Yams' default resolver (its regular expressions) on every string tried.
    @Test func implicitTagsMatchYamsDefaultResolver() {
        func expected(_ s: String) -> Yams.Tag.Name {
            let name = Yams.Tag.Name(rawValue: Node(s).tag.description)  // resolved by Resolver.default
            return [.bool, .int, .float, .null].contains(name) ? name : .str
        }
        var cases = [
            "", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRue", "yes", "no", "on", "Off", "y", "n",
            "0", "00", "01", "08", "09", "-0", "+0", "0b", "0b1", "0b12", "0o", "0o7", "0o8", "0x", "0xfF", "0xg", "0_",
            "1_000", "_1", "1:30", "1:60", "1:5", "1:", ":1", "0:30", "1:30:00", "1:30.5", "1:30.", "1:3a.5", "-1:30.5",
            "1.5", "1.", ".5", "-.5", "+.5", ".5e+1", ".5e1", "1e3", "1E-3", "1e", "1e+", "1.5e3_", "1__.__", ".inf",
            "-.Inf", "+.INF", ".nan", "-.nan", ".NaN", "inf", "12\n", "12\r\n", "12\n\n", "\n", "12\u{2028}", "12\u{85}",
            "12\u{0B}", "١٢", "１２", "<<", "=", "2024-01-02", "12 ", " 12", "1 2", "- 1", "+", "-", ".", "e",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let alphabet = Array("0123456789_+-.:eExXbBoOaAfFinIN~\n ")
        for _ in 0..<30000 {
            let length = Int(next() % 7) + 1
            cases.append(String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }))
        }
        for s in cases {
            #expect(YAMLJSON.implicitTag(of: s) == expected(s), "\(s.debugDescription)")
        }
    }
}
