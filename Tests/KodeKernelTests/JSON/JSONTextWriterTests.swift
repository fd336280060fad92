import Foundation
import KodeKernel
import Testing

@Suite("Compact JSON text")
struct JSONTextWriterTests {
    @Test func writesEveryKindCompactlyWithSortedKeys() {
        let value: JSONValue = ["b": [1, -2, 2.5, true, false, nil], "a": "x/y", "c": [:], "B": []]
        #expect(value.compactText == #"{"B":[],"a":"x/y","b":[1,-2,2.5,true,false,null],"c":{}}"#)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let value = JSONValue.string("q\"b\\n\nr\rt\tb\u{8}f\u{C}e\u{1B}z\u{0}")
        #expect(value.compactText == #""q\"b\\n\nr\rt\tb\bf\fe\u001bz\u0000""#)
    }

    @Test func keepsNonASCIIAsUTF8() {
        #expect(JSONValue.string("é😀中").compactText == "\"é😀中\"")
    }

    @Test func writesDoublesParseably() throws {
        #expect(JSONValue.double(3).compactText == "3")
        #expect(JSONValue.double(-0.25).compactText == "-0.25")
        #expect(JSONValue.double(.infinity).compactText == "null")
        #expect(JSONValue.double(.nan).compactText == "null")
        for number in [1e20, 1.5e-7, 123456.789, Double.greatestFiniteMagnitude] {
            #expect(try JSONValue.parse(JSONValue.double(number).compactText) == .double(number))
        }
    }

    @Test func roundTripsThroughTheParserAndAgreesWithFoundation() throws {
        let value: JSONValue = [
            "cmd": "echo \"hi\" > /tmp/a\n", "n": 12_345_678_901, "nested": ["list": [["k": "v"], 0.5, "\u{7F}"]],
            "unicode": "naïve 🚀", "empty": "",
        ]
        let text = value.compactText
        #expect(try JSONValue.parse(text) == value)
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(foundation?["cmd"] as? String == "echo \"hi\" > /tmp/a\n")
        #expect(foundation?["unicode"] as? String == "naïve 🚀")
    }
}
