/// JSON and YAML: keys as properties, strings, numbers, `true`/`false`/`null` as constants.
enum DataHighlighter {
    static func json(_ s: [Unicode.Scalar], _ out: inout SpanBuilder) {
        let n = s.count
        var i = 0
        while i < n {
            let c = s[i]
            if c == "\"" {
                let end = Highlighter.find(s, "\"", from: i + 1, escapes: true).map { $0 + 1 } ?? n
                var j = end
                while j < n && s[j] == " " { j += 1 }
                out.emit(j < n && s[j] == ":" ? .tokenProperty : .tokenString, i, end)
                i = end
            } else if Highlighter.isDigit(c) || (c == "-" && i + 1 < n && Highlighter.isDigit(s[i + 1])) {
                let end = Highlighter.numberEnd(s, i + 1)
                out.emit(.tokenNumber, i, end)
                i = end
            } else if Highlighter.isIdentStart(c) {
                var j = i
                while j < n && Highlighter.isIdent(s[j]) { j += 1 }
                let word = String(String.UnicodeScalarView(s[i..<j]))
                out.emit(["true", "false", "null"].contains(word) ? .tokenConstant : .codeBlock, i, j)
                i = j
            } else if c == "/" && i + 1 < n && s[i + 1] == "/" {
                out.emit(.tokenComment, i, n)  // JSONC
                return
            } else {
                out.emit(.codeBlock, i, i + 1)
                i += 1
            }
        }
    }

    static func yaml(_ s: [Unicode.Scalar], _ state: inout HighlightState, _ out: inout SpanBuilder) {
        let n = s.count
        var i = 0
        while i < n && s[i] == " " { i += 1 }
        let indent = i
        if let block = state.yamlBlockIndent {
            if i == n || indent > block {
                out.emit(.tokenString, 0, n)
                return
            }
            state.yamlBlockIndent = nil
        }
        out.emit(.codeBlock, 0, i)
        if Highlighter.starts(s, "---", at: i) || Highlighter.starts(s, "...", at: i) {
            out.emit(.heading, i, n)
            return
        }
        if i < n && s[i] == "#" {
            out.emit(.tokenComment, i, n)
            return
        }
        while i + 1 < n && s[i] == "-" && s[i + 1] == " " {
            out.emit(.listMarker, i, i + 1)
            out.emit(.codeBlock, i + 1, i + 2)
            i += 2
        }
        // `key:` (followed by a space or the end of the line).
        var j = i
        var keyEnd: Int?
        if j < n && (s[j] == "\"" || s[j] == "'") {
            if let close = Highlighter.find(s, String(s[j]), from: j + 1, escapes: s[j] == "\""), close + 1 < n, s[close + 1] == ":" { keyEnd = close + 1 }
        } else {
            while j < n && s[j] != ":" && s[j] != "#" { j += 1 }
            if j < n, s[j] == ":", j + 1 == n || s[j + 1] == " " { keyEnd = j }
        }
        if let k = keyEnd {
            out.emit(.tokenProperty, i, k)
            out.emit(.codeBlock, k, k + 1)
            i = k + 1
        }
        value(s, from: i, indent: indent, &state, &out)
    }

    private static func value(_ s: [Unicode.Scalar], from start: Int, indent: Int, _ state: inout HighlightState, _ out: inout SpanBuilder) {
        let n = s.count
        var i = start
        while i < n && s[i] == " " { i += 1 }
        out.emit(.codeBlock, start, i)
        guard i < n else { return }
        // The value, then an optional comment (` #…`).
        var end = n
        var q: Unicode.Scalar?
        var j = i
        while j < n {
            if let open = q {
                if s[j] == open { q = nil }
            } else if s[j] == "\"" || s[j] == "'" {
                q = s[j]
            } else if s[j] == "#" && j > i && s[j - 1] == " " {
                end = j
                break
            }
            j += 1
        }
        var valueEnd = end
        while valueEnd > i && s[valueEnd - 1] == " " { valueEnd -= 1 }
        let text = String(String.UnicodeScalarView(s[i..<valueEnd]))
        let role: StyleRole
        if text == "|" || text == ">" || text == "|-" || text == ">-" || text == "|+" || text == ">+" {
            role = .tokenKeyword
            state.yamlBlockIndent = indent
        } else if ["true", "false", "yes", "no", "on", "off", "null", "~", "True", "False", "Null", "NULL"].contains(text) {
            role = .tokenConstant
        } else if let f = text.unicodeScalars.first, Highlighter.isDigit(f) || f == "-" || f == ".", Double(text) != nil || Int(text) != nil {
            role = .tokenNumber
        } else if text.hasPrefix("&") || text.hasPrefix("*") || text.hasPrefix("!") {
            role = .tokenKeyword
        } else {
            role = .tokenString
        }
        out.emit(role, i, valueEnd)
        out.emit(.codeBlock, valueEnd, end)
        out.emit(.tokenComment, end, n)
    }
}
