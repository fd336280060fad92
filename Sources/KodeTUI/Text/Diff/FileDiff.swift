/// A unified diff of one file: hunks of changed lines with a few lines of context, each line
/// with its number (the old number for a removed line, the new one otherwise). Text is stored
/// as given (untrusted) and sanitized when it is laid out.
package struct FileDiff: Sendable, Hashable {
    /// What the change does to the file.
    package enum Kind: Sendable, Hashable {
        /// A new file.
        case create
        /// A whole-file write over existing content.
        case overwrite
        /// A whole-file write where the file as it is now was not read: all lines are new.
        case write
        /// Exact replacements in the file as it is now.
        case edit
        /// Replacements whose place in the file is not known (the file was not read, or the
        /// text to replace is not in it now): the replaced and the new text, without line numbers.
        case snippet
    }

    package enum LineKind: Sendable, Hashable { case context, added, removed }

    package struct Line: Sendable, Hashable {
        package var kind: LineKind
        /// Nil when the place in the file is not known.
        package var number: Int?
        package var text: String

        /// A line of the diff.
        package init(kind: LineKind, number: Int?, text: String) {
            self.kind = kind
            self.number = number
            self.text = text
        }
    }

    package struct Hunk: Sendable, Hashable {
        package var oldStart: Int
        package var oldCount: Int
        package var newStart: Int
        package var newCount: Int
        package var lines: [Line]
    }

    package var path: String
    package var kind: Kind
    package var hunks: [Hunk]
    /// Why the diff is only a snippet, or other facts worth a line ("3 occurrences").
    package var note: String?

    package var added: Int { hunks.reduce(0) { $0 + $1.lines.filter { $0.kind == .added }.count } }
    package var removed: Int { hunks.reduce(0) { $0 + $1.lines.filter { $0.kind == .removed }.count } }
    /// Lines of the diff body (hunk headers included).
    package var lineCount: Int { hunks.reduce(0) { $0 + $1.lines.count + 1 } }

    /// The diff between two versions of a file, with `context` unchanged lines around changes.
    package static func between(path: String, old: String, new: String, kind: Kind, context: Int = 3) -> FileDiff {
        let a = lines(old), b = lines(new)
        let ops = LineDiff.ops(a, b)
        var hunks: [Hunk] = []
        // Indices of ops that change something, grouped when their context overlaps.
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        var g = 0
        while g < changed.count {
            var end = g
            while end + 1 < changed.count && changed[end + 1] - changed[end] <= 2 * context + 1 { end += 1 }
            let from = max(changed[g] - context, 0), to = min(changed[end] + context, ops.count - 1)
            var hunk = Hunk(oldStart: 0, oldCount: 0, newStart: 0, newCount: 0, lines: [])
            var first = true
            for op in ops[from...to] {
                switch op {
                case .same(let o, let n):
                    if first { hunk.oldStart = o + 1; hunk.newStart = n + 1 }
                    hunk.lines.append(Line(kind: .context, number: n + 1, text: String(b[n])))
                    hunk.oldCount += 1
                    hunk.newCount += 1
                case .removed(let o):
                    if first { hunk.oldStart = o + 1; hunk.newStart = newIndex(ops, from) + 1 }
                    hunk.lines.append(Line(kind: .removed, number: o + 1, text: String(a[o])))
                    hunk.oldCount += 1
                case .added(let n):
                    if first { hunk.newStart = n + 1; hunk.oldStart = oldIndex(ops, from) + 1 }
                    hunk.lines.append(Line(kind: .added, number: n + 1, text: String(b[n])))
                    hunk.newCount += 1
                }
                first = false
            }
            hunks.append(hunk)
            g = end + 1
        }
        return FileDiff(path: path, kind: kind, hunks: hunks, note: nil)
    }

    /// Replacements shown without the file: each edit's old lines removed and new lines added.
    package static func snippet(path: String, edits: [(old: String, new: String)], note: String?) -> FileDiff {
        let hunks = edits.map { e -> Hunk in
            let d = between(path: path, old: e.old, new: e.new, kind: .snippet, context: 1_000_000)
            var lines = d.hunks.flatMap(\.lines)
            for i in lines.indices { lines[i].number = nil }
            return Hunk(oldStart: 0, oldCount: lineCountOf(e.old), newStart: 0, newCount: lineCountOf(e.new), lines: lines)
        }
        return FileDiff(path: path, kind: .snippet, hunks: hunks, note: note)
    }

    /// A file's lines; a final newline does not make an extra empty line.
    static func lines(_ text: String) -> [Substring] {
        if text.isEmpty { return [] }
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\n") { parts.removeLast() }
        return parts
    }

    static func lineCountOf(_ text: String) -> Int { lines(text).count }

    private static func newIndex(_ ops: [LineDiff.Op], _ at: Int) -> Int {
        for op in ops[at...] {
            switch op {
            case .same(_, let n), .added(let n): return n
            case .removed: continue
            }
        }
        for op in ops[..<at].reversed() {
            switch op {
            case .same(_, let n), .added(let n): return n + 1
            case .removed: continue
            }
        }
        return 0
    }

    private static func oldIndex(_ ops: [LineDiff.Op], _ at: Int) -> Int {
        for op in ops[at...] {
            switch op {
            case .same(let o, _), .removed(let o): return o
            case .added: continue
            }
        }
        for op in ops[..<at].reversed() {
            switch op {
            case .same(let o, _), .removed(let o): return o + 1
            case .added: continue
            }
        }
        return 0
    }
}
