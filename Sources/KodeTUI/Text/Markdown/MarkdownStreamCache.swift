/// Incremental layout of replies that are still streaming: per entry, a `MarkdownRenderer` fed
/// up to the last complete line, so each new line costs its own layout rather than the whole
/// reply's. Streaming text only grows at its end; a text that is not a continuation of what was
/// fed (or a new width) starts over. Owned by the UI loop (not shared across threads).
package final class MarkdownStreamCache {
    private struct Entry {
        var width: Int
        var unicode: Bool
        /// UTF-8 bytes of the text fed so far (always just after a newline).
        var consumed: Int
        var renderer: MarkdownRenderer
    }

    private var entries: [Int: Entry] = [:]

    /// An empty cache.
    package init() {}

    /// The lines of entry `id`'s complete lines, then the full rows of a partial last line that
    /// is a plain paragraph line (`MarkdownRenderer.previewRows`); any other partial line waits
    /// for its newline. Nothing shown ever re-flows.
    package func lines(id: Int, text: String, width: Int, unicode: Bool) -> [StyledLine] {
        var entry = entries[id] ?? Entry(width: width, unicode: unicode, consumed: 0, renderer: MarkdownRenderer(width: width, unicode: unicode))
        let utf8 = text.utf8
        let continues = entry.width == width && entry.unicode == unicode && entry.consumed <= utf8.count
            && (entry.consumed == 0 || utf8[utf8.index(utf8.startIndex, offsetBy: entry.consumed - 1)] == 0x0A)
        if !continues {
            entry = Entry(width: width, unicode: unicode, consumed: 0, renderer: MarkdownRenderer(width: width, unicode: unicode))
        }
        let complete = Self.completeLength(text)
        if complete > entry.consumed {
            let from = utf8.index(utf8.startIndex, offsetBy: entry.consumed)
            let to = utf8.index(utf8.startIndex, offsetBy: complete)
            entry.renderer.feed(text: Sanitizer.clean(String(text[from..<to])))
            entry.consumed = complete
        }
        entries[id] = entry
        return entry.renderer.lines + Self.preview(entry.renderer, text, from: complete)
    }

    static func preview(_ renderer: MarkdownRenderer, _ text: String, from complete: Int) -> [StyledLine] {
        let utf8 = text.utf8
        guard complete < utf8.count else { return [] }
        let tail = String(text[utf8.index(utf8.startIndex, offsetBy: complete)...])
        return renderer.previewRows(partial: Sanitizer.clean(tail))
    }

    /// Forgets an entry (its reply finished).
    package func remove(_ id: Int) { entries.removeValue(forKey: id) }

    /// Forgets every entry (a turn ended: no reply streams any more).
    package func removeAll() { entries.removeAll() }

    /// Entries held (for tests).
    package var count: Int { entries.count }

    /// The bytes up to and including the last newline.
    static func completeLength(_ text: String) -> Int {
        let utf8 = text.utf8
        guard let nl = utf8.lastIndex(of: 0x0A) else { return 0 }
        return utf8.distance(from: utf8.startIndex, to: nl) + 1
    }

    /// The streaming lines of `text` without a cache (the same result, laid out from the start).
    package static func uncached(_ text: String, width: Int, unicode: Bool) -> [StyledLine] {
        var r = MarkdownRenderer(width: width, unicode: unicode)
        let utf8 = text.utf8
        let complete = completeLength(text)
        r.feed(text: Sanitizer.clean(String(text[..<utf8.index(utf8.startIndex, offsetBy: complete)])))
        return r.lines + preview(r, text, from: complete)
    }
}
