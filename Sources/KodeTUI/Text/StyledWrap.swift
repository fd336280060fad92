/// Word wrap for styled text: the spans of one paragraph laid out at a width by display width
/// (see `DisplayWidth`), styles kept across breaks, a prefix on the first line and another on the
/// rest (a list marker and its hanging indent, a quote bar). Breaks at spaces; a wide character
/// may break anywhere; a word wider than the line is split by cluster. Input is sanitized text.
package enum StyledWrap {
    private struct Piece {
        var text: String
        var style: Style
    }

    private struct Word {
        /// The spaces before the word (dropped where the line breaks).
        var gap = ""
        var gapStyle = Style.text
        var pieces: [Piece] = []
        var width = 0
        var isEmpty: Bool { pieces.isEmpty }

        mutating func append(_ ch: Character, _ style: Style, width w: Int) {
            if let last = pieces.last, last.style == style {
                pieces[pieces.count - 1].text.append(ch)
            } else {
                pieces.append(Piece(text: String(ch), style: style))
            }
            width += w
        }
    }

    /// The lines of `spans` at `width` columns, prefixes included (at least one line).
    package static func wrap(_ spans: [Span], width: Int, first: [Span] = [], rest: [Span] = []) -> [StyledLine] {
        let words = split(spans)
        let firstWidth = first.reduce(0) { $0 + DisplayWidth.of($1.text) }
        let restWidth = rest.reduce(0) { $0 + DisplayWidth.of($1.text) }
        var lines: [StyledLine] = []
        var line: [Span] = first
        var used = 0
        var avail = max(width - firstWidth, 1)
        func push(_ text: String, _ style: Style) {
            guard !text.isEmpty else { return }
            if let last = line.last, last.style == style, line.count > (lines.isEmpty ? first.count : rest.count) {
                line[line.count - 1].text += text
            } else {
                line.append(Span(text, style))
            }
        }
        func breakLine() {
            lines.append(StyledLine(line))
            line = rest
            used = 0
            avail = max(width - restWidth, 1)
        }
        for word in words {
            let gapWidth = used == 0 ? 0 : word.gap.count
            if used > 0 && used + gapWidth + word.width > avail { breakLine() }
            if used > 0 && !word.gap.isEmpty {
                push(word.gap, word.gapStyle)
                used += word.gap.count
            }
            if used + word.width <= avail {
                for p in word.pieces { push(p.text, p.style) }
                used += word.width
                continue
            }
            // Wider than a whole line: split by cluster.
            for p in word.pieces {
                for ch in p.text {
                    let w = DisplayWidth.of(ch)
                    if used > 0 && used + w > avail { breakLine() }
                    push(String(ch), p.style)
                    used += w
                }
            }
        }
        if used > 0 || lines.isEmpty || line.count > rest.count { lines.append(StyledLine(line)) }
        return lines
    }

    private static func split(_ spans: [Span]) -> [Word] {
        var words: [Word] = []
        var current = Word()
        var gap = ""
        var gapStyle = Style.text
        func finish() {
            guard !current.isEmpty else { return }
            words.append(current)
            current = Word()
        }
        for span in spans {
            for ch in span.text {
                if ch == " " {
                    finish()
                    if gap.isEmpty { gapStyle = span.style }
                    gap.append(ch)
                    continue
                }
                let w = DisplayWidth.of(ch)
                // Wide (CJK) characters may break anywhere: each is a word of its own.
                if w == 2 && !current.isEmpty { finish() }
                if current.isEmpty {
                    current.gap = gap
                    current.gapStyle = gapStyle
                    gap = ""
                }
                current.append(ch, span.style, width: w)
                if w == 2 { finish() }
            }
        }
        finish()
        return words
    }
}
