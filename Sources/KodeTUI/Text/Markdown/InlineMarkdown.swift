/// Inline markdown of one line: `**strong**`, `*emphasis*` / `_emphasis_`, `` `code` ``,
/// `~~struck~~`, `[text](url)` (the text, then the URL dimmed), `![alt](url)`, `<https://…>`
/// and backslash escapes. Markers are removed and become styles. A marker without its partner
/// stays as text, so nothing a model writes disappears. Input is sanitized text.
package enum InlineMarkdown {
    /// The spans of `text` with `base` as the style of plain text.
    package static func spans(_ text: String, base: Style) -> [Span] {
        // Fast path: nothing that could be markup.
        if !text.utf8.contains(where: { $0 == 0x2A || $0 == 0x5F || $0 == 0x60 || $0 == 0x5B || $0 == 0x5C || $0 == 0x3C || $0 == 0x7E || $0 == 0x21 }) {
            return text.isEmpty ? [] : [Span(text, base)]
        }
        let chars = Array(text)
        var out: [Span] = []
        parse(chars, chars.startIndex, chars.endIndex, style: base, into: &out)
        return merged(out)
    }

    static func merged(_ spans: [Span]) -> [Span] {
        var out: [Span] = []
        for s in spans where !s.text.isEmpty {
            if let last = out.last, last.style == s.style { out[out.count - 1].text += s.text } else { out.append(s) }
        }
        return out
    }

    static func emphasized(_ s: Style) -> Style {
        var e = s
        if s.role == .text || s.role == .quote { e.role = .emphasis } else { e.underline = true }
        return e
    }

    static func strong(_ s: Style) -> Style {
        var e = s
        e.bold = true
        return e
    }

    private static func parse(_ c: [Character], _ lo: Int, _ hi: Int, style: Style, into out: inout [Span]) {
        var buf = ""
        func flush() {
            if !buf.isEmpty { out.append(Span(buf, style)) }
            buf = ""
        }
        func run(_ i: Int, _ ch: Character) -> Int {
            var j = i
            while j < hi && c[j] == ch { j += 1 }
            return j - i
        }
        var i = lo
        while i < hi {
            let ch = c[i]
            switch ch {
            case "\\":
                if i + 1 < hi, let a = c[i + 1].asciiValue, a > 0x20, a < 0x7F, !c[i + 1].isLetter, !c[i + 1].isNumber {
                    buf.append(c[i + 1])
                    i += 2
                } else {
                    buf.append(ch)
                    i += 1
                }
            case "`":
                let n = run(i, "`")
                if let close = closingRun(c, from: i + n, hi, "`", n) {
                    flush()
                    var code = String(c[(i + n)..<close])
                    if code.count >= 2, code.first == " ", code.last == " " { code = String(code.dropFirst().dropLast()) }
                    out.append(Span(code, Style(.code, bold: style.bold)))
                    i = close + n
                } else {
                    buf += String(repeating: "`", count: n)
                    i += n
                }
            case "*", "_", "~":
                let n = run(i, ch)
                let want = ch == "~" ? 2 : min(n, 3)
                let opens = i + n < hi && !c[i + n].isWhitespace && (ch != "_" || i == lo || !isWordChar(c[i - 1]))
                if opens && (ch != "~" || n == 2), let close = closing(c, from: i + n, hi, ch, want) {
                    flush()
                    var inner = style
                    if ch == "~" {
                        inner.role = .dim
                    } else {
                        if want != 2 { inner = emphasized(inner) }
                        if want >= 2 { inner = strong(inner) }
                    }
                    // Extra markers beyond three show as text.
                    if n > want { out.append(Span(String(repeating: String(ch), count: n - want), style)) }
                    parse(c, i + n, close, style: inner, into: &out)
                    i = close + want
                } else {
                    buf += String(repeating: String(ch), count: n)
                    i += n
                }
            case "!" where i + 1 < hi && c[i + 1] == "[":
                if let (text, url, end) = link(c, i + 1, hi) {
                    flush()
                    out.append(Span("[image: " + String(c[text]) + "]", Style(.link, bold: style.bold)))
                    if !url.isEmpty { out.append(Span(" (" + url + ")", Style(.dim))) }
                    i = end
                } else {
                    buf.append(ch)
                    i += 1
                }
            case "[":
                if let (text, url, end) = link(c, i, hi) {
                    flush()
                    var ls = Style(.link, bold: style.bold, underline: true)
                    if style.role == .heading { ls.bold = true }
                    let label = String(c[text])
                    if label.isEmpty || label == url {
                        out.append(Span(url, ls))
                    } else {
                        parse(c, text.lowerBound, text.upperBound, style: ls, into: &out)
                        if !url.isEmpty { out.append(Span(" (" + url + ")", Style(.dim))) }
                    }
                    i = end
                } else {
                    buf.append(ch)
                    i += 1
                }
            case "<":
                if let end = autolinkEnd(c, i, hi) {
                    flush()
                    out.append(Span(String(c[(i + 1)..<end]), Style(.link, bold: style.bold, underline: true)))
                    i = end + 1
                } else {
                    buf.append(ch)
                    i += 1
                }
            default:
                buf.append(ch)
                i += 1
            }
        }
        flush()
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    /// The start of the next run of exactly `n` `ch` at or after `from`.
    private static func closingRun(_ c: [Character], from: Int, _ hi: Int, _ ch: Character, _ n: Int) -> Int? {
        var j = from
        while j < hi {
            if c[j] == ch {
                var k = j
                while k < hi && c[k] == ch { k += 1 }
                if k - j == n { return j }
                j = k
            } else {
                j += 1
            }
        }
        return nil
    }

    /// A closing emphasis run of `n` markers: after non-space text, not inside a code span, and
    /// (for `_`) not followed by a word character.
    private static func closing(_ c: [Character], from: Int, _ hi: Int, _ ch: Character, _ n: Int) -> Int? {
        var j = from
        while j < hi {
            if c[j] == "`" {
                var k = j
                while k < hi && c[k] == "`" { k += 1 }
                if let close = closingRun(c, from: k, hi, "`", k - j) { j = close + (k - j); continue }
                j = k
                continue
            }
            if c[j] == "\\" { j += 2; continue }
            if c[j] == ch {
                var k = j
                while k < hi && c[k] == ch { k += 1 }
                let len = k - j
                let afterText = j > from && !c[j - 1].isWhitespace
                let rightOK = ch != "_" || k == hi || !isWordChar(c[k])
                if afterText && rightOK && (len == n || len == 3) {
                    // `***` closes an inner `**` and an outer `*` at once: this run ends at its end.
                    return k - n
                }
                j = k
                continue
            }
            j += 1
        }
        return nil
    }

    /// `[text](url)` starting at `open` (the `[`): the text's range, the URL and the index after `)`.
    private static func link(_ c: [Character], _ open: Int, _ hi: Int) -> (Range<Int>, String, Int)? {
        var depth = 0
        var j = open
        var close: Int?
        while j < hi {
            if c[j] == "\\" { j += 2; continue }
            if c[j] == "[" { depth += 1 }
            if c[j] == "]" {
                depth -= 1
                if depth == 0 { close = j; break }
            }
            j += 1
        }
        guard let close, close + 1 < hi, c[close + 1] == "(" else { return nil }
        var k = close + 2
        var parens = 1
        while k < hi {
            if c[k] == "(" { parens += 1 }
            if c[k] == ")" {
                parens -= 1
                if parens == 0 { break }
            }
            k += 1
        }
        guard k < hi else { return nil }
        var url = String(c[(close + 2)..<k]).trimming(" ")
        // A title after the URL (`(url "title")`) is not shown.
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) }
        if url.hasPrefix("<") && url.hasSuffix(">") { url = String(url.dropFirst().dropLast()) }
        return ((open + 1)..<close, url, k + 1)
    }

    /// `<scheme:…>` with no spaces: the index of the `>`.
    private static func autolinkEnd(_ c: [Character], _ open: Int, _ hi: Int) -> Int? {
        var j = open + 1
        var sawColon = false
        while j < hi {
            let ch = c[j]
            if ch == ">" { return sawColon && j > open + 3 ? j : nil }
            if ch == " " || ch == "<" { return nil }
            if ch == ":" { sawColon = true }
            if !sawColon && !(ch.isLetter || ch == "+" || ch == "-" || ch == ".") { return nil }
            j += 1
        }
        return nil
    }
}
