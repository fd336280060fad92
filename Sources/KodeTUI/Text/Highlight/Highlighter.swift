/// What a highlighter carries from one line of a code block to the next: an unclosed
/// multi-line string or block comment. Lines are highlighted in order and never revisited, so a
/// line drawn while a block streams keeps its colours when the block is finished.
package struct HighlightState: Sendable, Hashable {
    var openString: String?
    var inBlockComment = false
    /// A YAML block scalar (`key: |`) continues while lines are indented deeper than this.
    var yamlBlockIndent: Int?

    /// The state at the start of a block.
    package init() {}
}

/// Syntax highlighting of one line of code in theme roles (`token_*`). Plain code is
/// `code_block`. The input is sanitized text; the spans hold the same characters in order.
package enum Highlighter {
    /// The spans of `line` in `language`, updating `state` for the next line.
    package static func line(_ line: String, _ language: CodeLanguage, state: inout HighlightState) -> [Span] {
        let s = Array(line.unicodeScalars)
        var out = SpanBuilder(s)
        switch language {
        case .swift: cLike(s, .swift, &state, &out)
        case .python: cLike(s, .python, &state, &out)
        case .javascript: cLike(s, .javascript, &state, &out)
        case .go: cLike(s, .go, &state, &out)
        case .rust: cLike(s, .rust, &state, &out)
        case .shell: ShellHighlighter.scan(s, &state, &out)
        case .json: DataHighlighter.json(s, &out)
        case .yaml: DataHighlighter.yaml(s, &state, &out)
        case .diff: out.emit(diffRole(line), 0, s.count)
        }
        return out.spans
    }

    /// The role of a diff line by its first characters.
    static func diffRole(_ line: String) -> StyleRole {
        if line.hasPrefix("+++") || line.hasPrefix("---") || line.hasPrefix("diff ") || line.hasPrefix("index ") { return .heading }
        if line.hasPrefix("@@") { return .diffHunk }
        if line.hasPrefix("+") { return .diffAdd }
        if line.hasPrefix("-") { return .diffRemove }
        return .codeBlock
    }

    static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A) || c == "_" || (c.value >= 0x80 && c.properties.isAlphabetic)
    }

    static func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || isDigit(c) }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    static func starts(_ s: [Unicode.Scalar], _ text: String, at i: Int) -> Bool {
        var j = i
        for u in text.unicodeScalars {
            guard j < s.count, s[j] == u else { return false }
            j += 1
        }
        return true
    }

    static func find(_ s: [Unicode.Scalar], _ text: String, from: Int, escapes: Bool) -> Int? {
        var j = from
        while j < s.count {
            if escapes && s[j] == "\\" { j += 2; continue }
            if starts(s, text, at: j) { return j }
            j += 1
        }
        return nil
    }

    /// Number literals: digits, `0x…`, `1_000`, `1.5e-3`.
    static func numberEnd(_ s: [Unicode.Scalar], _ i: Int) -> Int {
        var j = i
        while j < s.count {
            let c = s[j]
            if isIdent(c) { j += 1; continue }
            if c == ".", j + 1 < s.count, isDigit(s[j + 1]) { j += 1; continue }
            if (c == "-" || c == "+"), j > i, s[j - 1] == "e" || s[j - 1] == "E", !(s[i] == "0" && i + 1 < s.count && (s[i + 1] == "x" || s[i + 1] == "X")) { j += 1; continue }
            break
        }
        return j
    }

    private static func cLike(_ s: [Unicode.Scalar], _ rules: LexicalRules, _ state: inout HighlightState, _ out: inout SpanBuilder) {
        let n = s.count
        var i = 0
        if let d = state.openString {
            if let end = find(s, d, from: 0, escapes: !rules.raw.contains(d)) {
                out.emit(.tokenString, 0, end + d.unicodeScalars.count)
                i = end + d.unicodeScalars.count
                state.openString = nil
            } else {
                out.emit(.tokenString, 0, n)
                return
            }
        }
        if state.inBlockComment, let block = rules.blockComment {
            if let end = find(s, block.close, from: i, escapes: false) {
                out.emit(.tokenComment, i, end + block.close.unicodeScalars.count)
                i = end + block.close.unicodeScalars.count
                state.inBlockComment = false
            } else {
                out.emit(.tokenComment, i, n)
                return
            }
        }
        // Scans a string whose opening delimiter `d` ends at `from`; returns false when it runs off the line.
        func string(_ start: Int, _ d: String, from: Int) -> Bool {
            if let end = find(s, d, from: from, escapes: !rules.raw.contains(d)) {
                out.emit(.tokenString, start, end + d.unicodeScalars.count)
                i = end + d.unicodeScalars.count
                return true
            }
            out.emit(.tokenString, start, n)
            if rules.multiline.contains(d) { state.openString = d }
            i = n
            return false
        }
        while i < n {
            let c = s[i]
            if let lc = rules.lineComment, starts(s, lc, at: i) {
                out.emit(.tokenComment, i, n)
                return
            }
            if let block = rules.blockComment, starts(s, block.open, at: i) {
                let from = i + block.open.unicodeScalars.count
                if let end = find(s, block.close, from: from, escapes: false) {
                    out.emit(.tokenComment, i, end + block.close.unicodeScalars.count)
                    i = end + block.close.unicodeScalars.count
                    continue
                }
                out.emit(.tokenComment, i, n)
                state.inBlockComment = true
                return
            }
            if rules.lifetimes && c == "'" {
                // A character literal closes within a few scalars ('a', '\n', '\u{1F}'); otherwise a lifetime.
                if i + 2 < n, s[i + 2] == "'", s[i + 1] != "\\" {
                    out.emit(.tokenString, i, i + 3); i += 3; continue
                }
                if i + 1 < n, s[i + 1] == "\\", let end = find(s, "'", from: i + 2, escapes: false), end - i <= 10 {
                    out.emit(.tokenString, i, end + 1); i = end + 1; continue
                }
                var j = i + 1
                while j < n && isIdent(s[j]) { j += 1 }
                out.emit(.tokenKeyword, i, j)
                i = max(j, i + 1)
                continue
            }
            if let d = rules.strings.first(where: { starts(s, $0, at: i) }) {
                if !string(i, d, from: i + d.unicodeScalars.count) { return }
                continue
            }
            if isDigit(c) && (i == 0 || !isIdent(s[i - 1])) {
                let end = numberEnd(s, i)
                out.emit(.tokenNumber, i, end)
                i = end
                continue
            }
            if rules.sigils.contains(Character(c)), i + 1 < n, isIdentStart(s[i + 1]) {
                var j = i + 1
                while j < n && isIdent(s[j]) { j += 1 }
                out.emit(.tokenKeyword, i, j)
                i = j
                continue
            }
            if isIdentStart(c) || (c == "$" && rules.strings.contains("`")) {
                var j = i + 1
                while j < n && (isIdent(s[j]) || s[j] == "$") { j += 1 }
                let word = String(String.UnicodeScalarView(s[i..<j]))
                if rules.stringPrefixes.contains(word), j < n, let d = rules.strings.first(where: { starts(s, $0, at: j) }) {
                    if !string(i, d, from: j + d.unicodeScalars.count) { return }
                    continue
                }
                if rules.lifetimes && (word == "r" || word == "br"), j < n, s[j] == "#" {
                    // Rust raw string r#"…"#.
                    if let end = find(s, "\"#", from: j + 2, escapes: false) { out.emit(.tokenString, i, end + 2); i = end + 2; continue }
                }
                out.emit(role(word, next: j < n ? s[j] : nil, rules), i, j)
                i = j
                continue
            }
            out.emit(.codeBlock, i, i + 1)
            i += 1
        }
    }

    private static func role(_ word: String, next: Unicode.Scalar?, _ rules: LexicalRules) -> StyleRole {
        if rules.keywords.contains(word) { return .tokenKeyword }
        if rules.constants.contains(word) { return .tokenConstant }
        if rules.types.contains(word) { return .tokenType }
        if rules.capitalizedTypes, let f = word.unicodeScalars.first, f.value >= 0x41 && f.value <= 0x5A { return .tokenType }
        if next == "(" || (next == "!" && rules.lifetimes) { return .tokenFunction }
        return .codeBlock
    }
}

/// Collects spans over a scalar array, merging neighbours of the same role.
struct SpanBuilder {
    let s: [Unicode.Scalar]
    private(set) var spans: [Span] = []

    init(_ s: [Unicode.Scalar]) { self.s = s }

    mutating func emit(_ role: StyleRole, _ from: Int, _ to: Int) {
        let to = min(to, s.count)
        guard from < to else { return }
        let text = String(String.UnicodeScalarView(s[from..<to]))
        if let last = spans.last, last.style.role == role {
            spans[spans.count - 1].text += text
        } else {
            spans.append(Span(text, Style(role)))
        }
    }
}
