import Foundation
@_spi(KodeInternals) import KodeKernel
import Testing

@Suite("Fast JSON parser")
struct FastJSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try FastJSONParser.parse(#" {"a":[1,-2,3.5,1e3,true,false,null],"s":"x\"\\\/\n\u00e9\ud83d\ude00","o":{}} "#)
        #expect(value == ["a": [1, -2, 3.5, 1000.0, true, false, nil], "s": "x\"\\/\né😀", "o": [:]])
    }

    @Test func agreesWithFoundationOnAComplexDocument() throws {
        let text = #"{"id":"msg","n":[0,12345678901,-0.25,{"k":"v w"}],"t":"tab\there","u":"\u0041"}"#
        #expect(try FastJSONParser.parse(text) == JSONValue.parse(text))
    }

    @Test func reportsWhereItFailed() {
        for (text, offset) in [(#"{"a":1,}"#, 7), ("[1 2]", 3), (#""abc"#, 4), ("tru", 0), ("{} x", 3), ("01", 1)] {
            do {
                _ = try FastJSONParser.parse(text)
                Issue.record("expected a failure for \(text)")
            } catch {
                #expect(error.offset == offset, "\(text): \(error)")
            }
        }
    }

    @Test func loneSurrogateBecomesReplacementCharacter() throws {
        #expect(try FastJSONParser.parse(#""\ud800x""#) == "\u{FFFD}x")
    }
}

@Suite("Fast JSON parser, skipping keys")
struct FastJSONSkippingTests {
    @Test func skippedMembersAreLeftOutAtEveryLevel() throws {
        let skipped = FastJSONParser.SkippedKeys(["noise", "created"])
        let text = #"{"created":1,"noise":{"deep":[1,{"x":"a\"}b"}]},"keep":{"noise":[],"v":"w"},"list":[{"created":"s"}]}"#
        #expect(try FastJSONParser.parse(text, skipping: skipped) == ["keep": ["v": "w"], "list": [[:]]])
    }

    @Test func malformedSkippedValuesStillFail() {
        let skipped = FastJSONParser.SkippedKeys(["noise"])
        for text in [#"{"noise":[1,2}"#, #"{"noise":"open}"#, #"{"noise":{"a" 1}}"#, #"{"noise":tru}"#] {
            #expect(throws: FastJSONParser.Failure.self, "\(text)") { try FastJSONParser.parse(text, skipping: skipped) }
        }
    }
}
