import Foundation
import KodeKernel
import KodeTUI
import KodeTestSupport
import Testing

/// A streaming markdown reply in the transcript is laid out incrementally: the lines of its
/// stable part are decorated (the `● ` mark and the indent column) once and reused, and a frame
/// lays out only the changed tail, while the screen stays exactly what laying out the text so
/// far at once shows.
@Suite struct StreamingReplyLayoutTests {
    /// A long reply whose blocks change shape as text arrives: list items continued and nested,
    /// fences opened and closed, a table held back until its last row, long lines previewed.
    static let reply: String = (0..<8).map { _ in
        MarkdownSamples.reply + "\n\n" + MarkdownSamples.bulletList + "\n" + MarkdownSamples.numberedList + "\n\n"
            + MarkdownSamples.fences[5].1 + "\n" + MarkdownSamples.table + "\n\n"
    }.joined()

    /// The reply cut into chunks of 1–13 characters, as a model sends them (mid-line, mid-markup).
    static let chunks: [String] = {
        var out: [String] = []
        var rest = Substring(reply)
        while !rest.isEmpty {
            let n = min(1 + (out.count * 7) % 13, rest.count)
            out.append(String(rest.prefix(n)))
            rest = rest.dropFirst(n)
        }
        return out
    }()

    static let width = 100
    /// Tall enough that the whole reply is on the screen: every line is compared, not only the tail.
    static let height = 700

    static func streamed(_ text: String) -> AppModel {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: width, height: height)
        m.apply(c.env(.textChunkStart(ChunkBoundary(messageId: "r"))), now: c.time)
        m.apply(c.env(.textChunk(ChunkDelta(messageId: "r", delta: text))), now: c.time)
        return m
    }

    @Test func chunkByChunkTheScreenIsTheTextSoFarLaidOutAtOnce() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: Self.width, height: Self.height)
        m.apply(c.env(.textChunkStart(ChunkBoundary(messageId: "r"))), now: c.time)
        var sofar = ""
        var most = 0
        for (k, chunk) in Self.chunks.enumerated() {
            sofar += chunk
            m.apply(c.env(.textChunk(ChunkDelta(messageId: "r", delta: chunk))), now: c.time)
            let before = m.markdownStreams.linesLaidOut
            let frame = Screen.canvas(m, now: c.time)
            most = max(most, m.markdownStreams.linesLaidOut - before)
            // Every few chunks (each comparison lays the whole text out again from the start).
            if k % 5 == 0 || k == Self.chunks.count - 1 {
                let whole = Screen.canvas(Self.streamed(sofar), now: c.time)
                #expect(Screen.same(frame, whole), "after \(k + 1) chunks (\(sofar.utf8.count) bytes)")
            }
        }
        let final = Screen.rows(m, now: c.time).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        #expect(final > 400, "the reply is long: \(final) rows")
        // A frame lays out the lines its chunk completed and the preview rows of the partial
        // line (a table comes out whole when it ends), never the reply again.
        #expect(most <= 12, "at most \(most) lines laid out by one frame, of \(final)")
        // The reply ends: laid out whole, it is the same screen as one sent in a single chunk.
        m.apply(c.env(.textChunkEnd(ChunkBoundary(messageId: "r"))), now: c.time)
        var once = Self.streamed(Self.reply)
        once.apply(c.env(.textChunkEnd(ChunkBoundary(messageId: "r"))), now: c.time)
        #expect(Screen.same(Screen.canvas(m, now: c.time), Screen.canvas(once, now: c.time)))
    }

    @Test func aSecondFrameOfTheSameTextLaysNothingOut() {
        var m = Self.streamed(String(Self.reply.prefix(3_000)))
        let c = Fixtures.Clock()
        let first = Screen.canvas(m, now: c.time)
        let laid = m.markdownStreams.linesLaidOut
        #expect(laid > 50)
        let second = Screen.canvas(m, now: c.time)
        #expect(m.markdownStreams.linesLaidOut == laid)
        #expect(Screen.same(first, second))
        // A new width starts the reply over (its lines wrap differently).
        m.width = 80
        let narrow = Screen.canvas(m, now: c.time)
        #expect(m.markdownStreams.linesLaidOut > laid)
        var fresh = Self.streamed(String(Self.reply.prefix(3_000)))
        fresh.width = 80
        #expect(Screen.same(narrow, Screen.canvas(fresh, now: c.time)))
    }
}
