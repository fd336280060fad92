/// The multi-line input box: text as lines of characters, a cursor, readline editing and history.
package struct Composer: Sendable, Hashable {
    /// The lines being edited (never empty).
    package private(set) var lines: [[Character]] = [[]]
    /// Cursor row and column (column in characters).
    package private(set) var row = 0
    package private(set) var col = 0
    /// Previous submissions, oldest first.
    package private(set) var history: [String] = []
    private var historyIndex: Int?
    private var draft: String = ""

    /// An empty composer.
    package init() {}

    /// The whole text.
    package var text: String { lines.map { String($0) }.joined(separator: "\n") }
    /// True when there is nothing to send.
    package var isBlank: Bool { text.allSatisfy { $0 == " " || $0 == "\n" || $0 == "\t" } }

    /// Inserts text at the cursor; newlines split lines (pastes keep their newlines, never submit).
    package mutating func insert(_ s: String) {
        for ch in s {
            if ch == "\n" || ch == "\r\n" || ch == "\r" {
                newline()
            } else {
                lines[row].insert(ch, at: col)
                col += 1
            }
        }
    }

    /// Splits the line at the cursor.
    package mutating func newline() {
        let tail = Array(lines[row][col...])
        lines[row].removeSubrange(col...)
        lines.insert(tail, at: row + 1)
        row += 1
        col = 0
    }

    /// Deletes the character before the cursor (joining lines at the start of a line).
    package mutating func backspace() {
        if col > 0 {
            lines[row].remove(at: col - 1)
            col -= 1
        } else if row > 0 {
            let line = lines.remove(at: row)
            row -= 1
            col = lines[row].count
            lines[row].append(contentsOf: line)
        }
    }

    /// Deletes the character under the cursor.
    package mutating func deleteForward() {
        if col < lines[row].count {
            lines[row].remove(at: col)
        } else if row + 1 < lines.count {
            let next = lines.remove(at: row + 1)
            lines[row].append(contentsOf: next)
        }
    }

    package mutating func moveLeft() {
        if col > 0 { col -= 1 } else if row > 0 { row -= 1; col = lines[row].count }
    }

    package mutating func moveRight() {
        if col < lines[row].count { col += 1 } else if row + 1 < lines.count { row += 1; col = 0 }
    }

    /// Ctrl+A.
    package mutating func lineStart() { col = 0 }
    /// Ctrl+E.
    package mutating func lineEnd() { col = lines[row].count }

    /// Ctrl+W: deletes back to the start of the previous word.
    package mutating func deleteWord() {
        var i = col
        while i > 0 && lines[row][i - 1] == " " { i -= 1 }
        while i > 0 && lines[row][i - 1] != " " { i -= 1 }
        lines[row].removeSubrange(i..<col)
        col = i
    }

    /// Ctrl+U: deletes to the start of the line.
    package mutating func killToStart() {
        lines[row].removeSubrange(0..<col)
        col = 0
    }

    /// Ctrl+K: deletes to the end of the line.
    package mutating func killToEnd() {
        lines[row].removeSubrange(col...)
    }

    /// Up: moves up a line, or at the first line recalls the previous history entry.
    package mutating func up() {
        if row > 0 {
            row -= 1
            col = min(col, lines[row].count)
            return
        }
        guard !history.isEmpty else { return }
        let next: Int
        if let i = historyIndex { next = max(i - 1, 0) } else { draft = text; next = history.count - 1 }
        historyIndex = next
        setText(history[next])
    }

    /// Down: moves down a line, or at the last line goes forward in history (back to the draft).
    package mutating func down() {
        if row + 1 < lines.count {
            row += 1
            col = min(col, lines[row].count)
            return
        }
        guard let i = historyIndex else { return }
        if i + 1 < history.count {
            historyIndex = i + 1
            setText(history[i + 1])
        } else {
            historyIndex = nil
            setText(draft)
        }
    }

    /// Takes the text for sending: records it in history and clears the box.
    package mutating func take() -> String {
        let t = text
        if history.last != t { history.append(t) }
        historyIndex = nil
        draft = ""
        setText("")
        return t
    }

    /// Replaces the text, cursor at the end.
    package mutating func setText(_ s: String) {
        lines = s.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if lines.isEmpty { lines = [[]] }
        row = lines.count - 1
        col = lines[row].count
    }
}
