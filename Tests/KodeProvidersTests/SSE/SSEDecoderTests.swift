import KodeProviders
import Testing

@Suite("Server-sent events decoder")
struct SSEDecoderTests {
    /// Decodes `text` fed in the given pieces, then finishes the stream.
    private func decode(_ pieces: [[UInt8]], finish: Bool = true) -> [SSEEvent] {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        for piece in pieces { decoder.decode(piece, into: &events) }
        if finish { decoder.finish(into: &events) }
        return events
    }

    private func decode(_ text: String, finish: Bool = true) -> [SSEEvent] { decode([Array(text.utf8)], finish: finish) }

    @Test func multiLineDataJoinsWithNewlines() {
        #expect(decode("data: one\ndata: two\ndata:\ndata:  three\n\n") == [SSEEvent(data: "one\ntwo\n\n three")])
    }

    @Test func eventIdAndRetryFields() {
        let events = decode("event: update\nid: 7\nretry: 1500\ndata: x\n\ndata: y\n\n")
        #expect(events == [
            SSEEvent(event: "update", data: "x", id: "7", retry: 1500),
            SSEEvent(event: "message", data: "y", id: "7", retry: nil),
        ])
    }

    @Test func invalidRetryAndNulIdAreIgnored() {
        let events = decode("retry: 12a\nid: a\u{0}b\ndata: x\n\n")
        #expect(events == [SSEEvent(data: "x")])
    }

    @Test func commentsAndUnknownFieldsAreIgnored() {
        #expect(decode(": keep-alive\nfoo: bar\ndata: x\n: another\n\n") == [SSEEvent(data: "x")])
    }

    @Test func fieldWithoutColonHasEmptyValue() {
        #expect(decode("data\n\n") == [SSEEvent(data: "")])
    }

    @Test func eventWithoutDataIsNotDispatched() {
        #expect(decode("event: lonely\n\ndata: x\n\n") == [SSEEvent(data: "x")])
    }

    @Test func allThreeLineEndings() {
        let expected = [SSEEvent(event: "a", data: "1"), SSEEvent(event: "b", data: "2"), SSEEvent(event: "c", data: "3")]
        #expect(decode("event: a\r\ndata: 1\r\n\r\nevent: b\ndata: 2\n\nevent: c\rdata: 3\r\r") == expected)
    }

    @Test func crlfSplitBetweenChunksIsOneLineEnd() {
        // If the LF after a chunk-final CR were a second line end, the event would dispatch early
        // and "data: b" would start a new event.
        let events = decode([Array("data: a\r".utf8), Array("\ndata: b\r\n\r\n".utf8)])
        #expect(events == [SSEEvent(data: "a\nb")])
    }

    @Test func fieldSplitAcrossChunks() {
        let events = decode([Array("da".utf8), Array("ta: hel".utf8), Array("lo\n".utf8), Array("\n".utf8)])
        #expect(events == [SSEEvent(data: "hello")])
    }

    @Test func utf8CharacterSplitAcrossChunks() {
        let bytes = Array("data: 😀é\n\n".utf8)
        for cut in 1..<bytes.count {
            #expect(decode([Array(bytes[..<cut]), Array(bytes[cut...])]) == [SSEEvent(data: "😀é")])
        }
    }

    @Test func missingFinalNewlineStillDispatchesAtEnd() {
        #expect(decode("data: [DONE]") == [SSEEvent(data: "[DONE]")])
        #expect(decode("data: a\n") == [SSEEvent(data: "a")])
        #expect(decode("data: a", finish: false).isEmpty)
    }

    @Test func byteOrderMarkAtStartIsSkipped() {
        #expect(decode("\u{FEFF}data: x\n\n") == [SSEEvent(data: "x")])
    }

    @Test func invalidUTF8BecomesReplacementCharacter() {
        let events = decode([Array("data: a".utf8) + [0xFF] + Array("b\n\n".utf8)])
        #expect(events == [SSEEvent(data: "a\u{FFFD}b")])
    }

    @Test func everySplitOfAMixedStreamGivesTheSameEvents() {
        let text = "event: e1\r\nid: 1\r\ndata: α\r\ndata: β\r\n\r\n: c\rdata: γ\r\rdata: δ\n\n"
        let bytes = Array(text.utf8)
        let whole = decode([bytes])
        #expect(whole.count == 3)
        for first in 0...bytes.count {
            for second in first...min(bytes.count, first + 4) {
                let pieces = [Array(bytes[..<first]), Array(bytes[first..<second]), Array(bytes[second...])]
                #expect(decode(pieces) == whole)
            }
        }
    }
}
