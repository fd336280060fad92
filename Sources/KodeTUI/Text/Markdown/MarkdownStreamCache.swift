/// Incremental layout of replies that are still streaming: per entry, a `MarkdownRenderer` fed
/// up to the last complete line, so each new line costs its own layout rather than the whole
/// reply's. Streaming text only grows at its end; a text that is not a continuation of what was
/// fed (or a new width) starts over. Owned by the UI loop (not shared across threads).
package final class MarkdownStreamCache {
    /// A decoration applied once to each laid-out line (the transcript's `● ` and indent
    /// column): the line's index in the reply and the line.
    package typealias Decorate = (Int, StyledLine) -> StyledLine

    /// One reply's incremental state. A class, so its arrays are mutated in place (a copy of a
    /// struct entry would share them and make every append copy the whole reply).
    private final class Entry {
        let width: Int
        let unicode: Bool
        /// UTF-8 bytes of the text fed so far (always just after a newline).
        var consumed = 0
        var renderer: MarkdownRenderer
        /// The decorated lines last returned: the renderer's lines, then the preview rows.
        var shown: [StyledLine] = []
        /// How many of `shown` are the renderer's (stable) lines; the rest are preview rows.
        var stable = 0
        /// The entry version and text length `shown` was made for.
        var version: Int?
        var bytes = -1

        init(width: Int, unicode: Bool) {
            self.width = width
            self.unicode = unicode
            renderer = MarkdownRenderer(width: width, unicode: unicode)
        }
    }

    private var entries: [Int: Entry] = [:]
    /// Lines decorated so far, over all entries (tests and benches: a frame should add only
    /// its reply's new lines and preview rows, not the whole reply).
    package private(set) var linesLaidOut = 0

    /// An empty cache.
    package init() {}

    /// The lines of entry `id`'s complete lines, then the full rows of a partial last line that
    /// is a plain paragraph line (`MarkdownRenderer.previewRows`); any other partial line waits
    /// for its newline. Nothing shown ever re-flows.
    package func lines(id: Int, text: String, width: Int, unicode: Bool) -> [StyledLine] {
        lines(id: id, version: nil, text: text, width: width, unicode: unicode) { $1 }
    }

    /// The same lines, each passed through `decorate` once: a line made by an earlier call is
    /// reused as it was decorated, so a call costs the lines completed since the last one and
    /// the preview rows of the partial line. With `version` (the entry's), a second call for
    /// the same version and text returns the lines as they are. An entry is decorated one way
    /// for its whole life.
    package func lines(id: Int, version: Int?, text: String, width: Int, unicode: Bool, decorate: Decorate) -> [StyledLine] {
        let utf8 = text.utf8
        var entry = entries[id] ?? Entry(width: width, unicode: unicode)
        if let version, entry.version == version, entry.bytes == utf8.count, entry.width == width, entry.unicode == unicode {
            return entry.shown
        }
        let continues = entry.width == width && entry.unicode == unicode && entry.consumed <= utf8.count
            && (entry.consumed == 0 || utf8[utf8.index(utf8.startIndex, offsetBy: entry.consumed - 1)] == 0x0A)
        if !continues { entry = Entry(width: width, unicode: unicode) }
        entries[id] = entry
        let complete = Self.completeLength(text)
        if complete > entry.consumed {
            let from = utf8.index(utf8.startIndex, offsetBy: entry.consumed)
            let to = utf8.index(utf8.startIndex, offsetBy: complete)
            entry.renderer.feed(text: Sanitizer.clean(String(text[from..<to])))
            entry.consumed = complete
        }
        // The preview rows of the last call go; the stable lines stay as decorated.
        entry.shown.removeLast(entry.shown.count - entry.stable)
        let made = entry.renderer.lines
        for i in entry.stable..<made.count { entry.shown.append(decorate(i, made[i])) }
        linesLaidOut += made.count - entry.stable
        entry.stable = made.count
        let preview = Self.preview(entry.renderer, text, from: complete)
        for (k, row) in preview.enumerated() { entry.shown.append(decorate(entry.stable + k, row)) }
        linesLaidOut += preview.count
        entry.version = version
        entry.bytes = utf8.count
        return entry.shown
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
