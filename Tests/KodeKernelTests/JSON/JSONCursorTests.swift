@_spi(KodeInternals) import KodeKernel
import Testing

@Suite("JSON cursor")
struct JSONCursorTests {
    /// Runs `walk` over `text`'s bytes with a fresh cursor.
    private func walking<T>(_ text: String, _ walk: (inout JSONCursor) throws(FastJSONParser.Failure) -> T) throws(FastJSONParser.Failure) -> T {
        let bytes = Array(text.utf8)
        let result: Result<T, FastJSONParser.Failure> = bytes.withUnsafeBytes { raw in
            var cursor = JSONCursor(raw)
            do throws(FastJSONParser.Failure) { return .success(try walk(&cursor)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Every member of a flat object as (name, value), read with the cursor.
    private func members(_ text: String) throws(FastJSONParser.Failure) -> [String: JSONValue] {
        try walking(text) { (cursor) throws(FastJSONParser.Failure) in
            var scratch = FastJSONParser.Scratch()
            var out: [String: JSONValue] = [:]
            try cursor.enterObject()
            while let name = try cursor.nextMember() { out[name.text] = try cursor.value(scratch: &scratch) }
            try cursor.finish()
            return out
        }
    }

    @Test func readsMembersInAnyOrderWithWhitespaceEscapesAndUnicode() throws {
        let text = " {\n \"b\" : [1, {\"x\": null}] ,\t\"a\\u0062c\":\"tab\\there \\\"q\\\" \\ud83d\\ude00 é\",\r\n\"n\": -1.5e2 } "
        let read = try members(text)
        #expect(read == ["b": [1, ["x": nil]], "abc": "tab\there \"q\" 😀 é", "n": -150.0])
        #expect(read == (try FastJSONParser.parse(text)).objectValue)
    }

    @Test func walksNestedContainersAndSkipsTheRest() throws {
        let text = #"{"skip":{"deep":[1,2,{"z":"\u00e9"}]},"choices":[{"delta":{"content":"hi"}},{"delta":{}}],"after":true}"#
        let content: String? = try walking(text) { (cursor) throws(FastJSONParser.Failure) in
            var found: String? = nil
            try cursor.enterObject()
            while let name = try cursor.nextMember() {
                guard name.matches("choices") else { try cursor.skipValue(); continue }
                try cursor.enterArray()
                var first = true
                while try cursor.nextElement() {
                    guard first else { try cursor.skipValue(); continue }
                    first = false
                    try cursor.enterObject()
                    while let inner = try cursor.nextMember() {
                        guard inner.matches("delta") else { try cursor.skipValue(); continue }
                        try cursor.enterObject()
                        while let field = try cursor.nextMember() {
                            if field.matches("content") { found = try cursor.string() } else { try cursor.skipValue() }
                        }
                    }
                }
            }
            try cursor.finish()
            return found
        }
        #expect(content == "hi")
    }

    @Test func emptyContainersAndKinds() throws {
        let kinds: [JSONCursor.Kind] = try walking(#"[{}, [], "s", 1, true, null]"#) { (cursor) throws(FastJSONParser.Failure) in
            var kinds: [JSONCursor.Kind] = []
            try cursor.enterArray()
            while try cursor.nextElement() {
                let kind = try cursor.kind()
                kinds.append(kind)
                switch kind {
                case .object:
                    try cursor.enterObject()
                    #expect(try cursor.nextMember() == nil)
                case .array:
                    try cursor.enterArray()
                    #expect(try cursor.nextElement() == false)
                default:
                    try cursor.skipValue()
                }
            }
            try cursor.finish()
            return kinds
        }
        #expect(kinds == [.object, .array, .string, .number, .bool, .null])
    }

    @Test func tokensCompareLikeStrings() throws {
        let names: [Bool] = try walking(#"{"type":1,"ty\u0070e":2,"typ":3,"types":4,"K\u212a":5,"é":6}"#) { (cursor) throws(FastJSONParser.Failure) in
            var matches: [Bool] = []
            try cursor.enterObject()
            while let name = try cursor.nextMember() {
                try cursor.skipValue()
                // "\u{212A}" (KELVIN SIGN) is canonically equivalent to "K", as String == says.
                matches.append(name.matches("type") || name.matches("KK") || name.matches("e\u{301}"))
            }
            return matches
        }
        #expect(names == [true, true, false, false, true, true])
    }

    @Test func stringOrNullAndToken() throws {
        let read: [String?] = try walking(#"[null, "a\nb", "plain"]"#) { (cursor) throws(FastJSONParser.Failure) in
            try cursor.enterArray()
            var out: [String?] = []
            _ = try cursor.nextElement()
            out.append(try cursor.stringOrNull())
            _ = try cursor.nextElement()
            out.append(try cursor.token().text)
            _ = try cursor.nextElement()
            let token = try cursor.token()
            out.append(token.matches("plain") ? "matched" : nil)
            #expect(try cursor.nextElement() == false)
            try cursor.finish()
            return out
        }
        #expect(read == [nil, "a\nb", "matched"])
    }

    @Test func malformedDocumentsFailAnywhere() {
        let bad = [
            #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":1 "b":2}"#, #"{"a":[1 2]}"#, #"{"a":[1,]}"#, #"{"a":"\q"}"#,
            #"{"a":"\u12"}"#, #"{"a":"open}"#, #"{"a":tru}"#, #"{"a":01}"#, #"{"a":1} x"#, #"{"a":1"#, "{\"a\":\"\u{01}\"}",
        ]
        for text in bad {
            #expect(throws: FastJSONParser.Failure.self, "\(text)") { try members(text) }
        }
    }

    @Test func skippedValuesAreCheckedAsStrictlyAsReadOnes() {
        // A bad escape, a short \u escape, a control character, a bad number: the cursor must
        // not accept inside a skipped value what the parser rejects in a read one.
        for value in [#""\q""#, #""\u00g0""#, "\"a\u{01}\"", #"[1,-]"#, #"{"k":[1,{"x":nul}]}"#] {
            let text = #"{"skip":"# + value + "}"
            #expect(throws: FastJSONParser.Failure.self, "\(text)") {
                try walking(text) { (cursor) throws(FastJSONParser.Failure) in
                    try cursor.enterObject()
                    while try cursor.nextMember() != nil { try cursor.skipValue() }
                    try cursor.finish()
                }
            }
            #expect(throws: FastJSONParser.Failure.self, "\(text)") {
                try FastJSONParser.parse(text, skipping: FastJSONParser.SkippedKeys(["skip"]))
            }
        }
    }

    @Test func finishingInsideAContainerFails() {
        #expect(throws: FastJSONParser.Failure.self) {
            try walking(#"{"a":{"b":1}}"#) { (cursor) throws(FastJSONParser.Failure) in
                try cursor.enterObject()
                _ = try cursor.nextMember()
                try cursor.finish()
            }
        }
    }

    @Test func wrongContainerKindFails() {
        #expect(throws: FastJSONParser.Failure.self) {
            try walking("[1]") { (cursor) throws(FastJSONParser.Failure) in try cursor.enterObject() }
        }
        #expect(throws: FastJSONParser.Failure.self) {
            try walking(#"{"a":1]"#) { (cursor) throws(FastJSONParser.Failure) in
                try cursor.enterObject()
                _ = try cursor.nextMember()
                try cursor.skipValue()
                _ = try cursor.nextMember()
            }
        }
    }

    @Test func nestingIsLimitedLikeTheParser() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: FastJSONParser.Failure.self) {
            try walking(deep) { (cursor) throws(FastJSONParser.Failure) in try cursor.skipValue() }
        }
        #expect(throws: FastJSONParser.Failure.self) { try FastJSONParser.parse(deep) }
    }
}
