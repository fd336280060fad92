/// Shell highlighting: the command word of each pipeline stage, keywords, options, variables,
/// quoted strings (single quotes never escape) and `#` comments at the start of a word.
enum ShellHighlighter {
    static let keywords: Set<String> = ["if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function", "select", "time", "return", "export", "local", "readonly", "declare", "unset", "exit", "break", "continue"]
    /// Words after which the next word is a command again.
    static let commandStarters: Set<String> = ["then", "else", "elif", "do", "time", "if", "while", "until", "!", "sudo", "exec", "xargs", "env", "nohup"]

    static func scan(_ s: [Unicode.Scalar], _ state: inout HighlightState, _ out: inout SpanBuilder) {
        let n = s.count
        var i = 0
        var commandNext = true
        if let d = state.openString {
            if let end = Highlighter.find(s, d, from: 0, escapes: d == "\"") {
                out.emit(.tokenString, 0, end + 1)
                i = end + 1
                state.openString = nil
                commandNext = false
            } else {
                out.emit(.tokenString, 0, n)
                return
            }
        }
        while i < n {
            let c = s[i]
            if c == " " || c == "\t" {
                out.emit(.codeBlock, i, i + 1)
                i += 1
                continue
            }
            if c == "#" && (i == 0 || s[i - 1] == " " || s[i - 1] == "\t") {
                out.emit(.tokenComment, i, n)
                return
            }
            if c == "\"" || c == "'" {
                let d = String(c)
                if let end = Highlighter.find(s, d, from: i + 1, escapes: c == "\"") {
                    out.emit(.tokenString, i, end + 1)
                    i = end + 1
                } else {
                    out.emit(.tokenString, i, n)
                    state.openString = d
                    return
                }
                commandNext = false
                continue
            }
            if c == "$" {
                var j = i + 1
                if j < n && s[j] == "{" {
                    while j < n && s[j] != "}" { j += 1 }
                    j = min(j + 1, n)
                } else if j < n && s[j] == "(" {
                    out.emit(.tokenProperty, i, j + 1)
                    i = j + 1
                    commandNext = true
                    continue
                } else {
                    while j < n && (Highlighter.isIdent(s[j]) || "?#@!*-$0123456789".unicodeScalars.contains(s[j])) {
                        j += 1
                        if !Highlighter.isIdent(s[j - 1]) { break }
                    }
                }
                out.emit(.tokenProperty, i, max(j, i + 1))
                i = max(j, i + 1)
                continue
            }
            if "|&;()`<>".unicodeScalars.contains(c) {
                var j = i + 1
                while j < n && "|&;<>".unicodeScalars.contains(s[j]) { j += 1 }
                out.emit(.tokenKeyword, i, j)
                let op = String(String.UnicodeScalarView(s[i..<j]))
                commandNext = !(op == ">" || op == ">>" || op == "<" || op == "2>" || op.hasSuffix(">"))
                i = j
                continue
            }
            // A word: up to a space, quote, operator or variable.
            var j = i
            while j < n && !" \t\"'$|&;()`<>".unicodeScalars.contains(s[j]) { j += 1 }
            let word = String(String.UnicodeScalarView(s[i..<j]))
            if keywords.contains(word) && (commandNext || word == "in" || word == "do" || word == "then") {
                out.emit(.tokenKeyword, i, j)
                commandNext = commandStarters.contains(word) || word == "do" || word == "then" || word == "else"
            } else if commandNext && word.contains("=") && !word.hasPrefix("=") {
                // An assignment before the command (`FOO=1 make`).
                let eq = word.unicodeScalars.firstIndex(of: "=")!
                let nameEnd = i + word.unicodeScalars.distance(from: word.unicodeScalars.startIndex, to: eq)
                out.emit(.tokenProperty, i, nameEnd)
                out.emit(.codeBlock, nameEnd, j)
            } else if commandNext {
                out.emit(.tokenFunction, i, j)
                commandNext = commandStarters.contains(word)
            } else if word.hasPrefix("-") {
                out.emit(.tokenConstant, i, j)
            } else if let f = word.unicodeScalars.first, Highlighter.isDigit(f), word.unicodeScalars.allSatisfy({ Highlighter.isDigit($0) || $0 == "." }) {
                out.emit(.tokenNumber, i, j)
            } else {
                out.emit(.codeBlock, i, j)
            }
            i = max(j, i + 1)
        }
    }
}
