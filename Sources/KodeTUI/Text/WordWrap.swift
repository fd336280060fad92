/// Word wrap by display width (see `DisplayWidth`).
///
/// Breaks at spaces where it can; a word wider than the line is split by cluster; a wide
/// character never straddles the edge. Newlines always break. Input should already be sanitized.
package enum WordWrap {
    /// The lines of `text` at `width` columns (at least one line, possibly empty).
    package static func lines(_ text: String, width: Int) -> [String] {
        let width = max(width, 1)
        var result: [String] = []
        var start = text.startIndex
        while true {
            let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
            wrapParagraph(text[start..<end], width: width, into: &result)
            if end == text.endIndex { break }
            start = text.index(after: end)
        }
        return result
    }

    private static func wrapParagraph(_ para: Substring, width: Int, into result: inout [String]) {
        if para.isEmpty {
            result.append("")
            return
        }
        // ASCII fast path: one byte per column.
        if para.utf8.allSatisfy({ $0 < 0x80 }) {
            wrapASCII(Array(para.utf8), width: width, into: &result)
            return
        }
        var line = ""
        var lineWidth = 0
        var word = ""
        var wordWidth = 0
        func flushWord() {
            if wordWidth == 0 && word.isEmpty { return }
            if lineWidth + wordWidth <= width {
                line += word
                lineWidth += wordWidth
            } else {
                if !line.isEmpty {
                    result.append(trimTrailingSpaces(line))
                    line = ""
                    lineWidth = 0
                }
                var w = word.drop(while: { $0 == " " })
                var ww = DisplayWidth.of(String(w))
                while ww > width {
                    var piece = ""
                    var pw = 0
                    var idx = w.startIndex
                    while idx < w.endIndex {
                        let cw = DisplayWidth.of(w[idx])
                        if pw + cw > width { break }
                        piece.append(w[idx])
                        pw += cw
                        idx = w.index(after: idx)
                    }
                    if piece.isEmpty {  // a cluster wider than the line: emit it alone
                        piece.append(w[idx])
                        idx = w.index(after: idx)
                    }
                    result.append(piece)
                    w = w[idx...]
                    ww = DisplayWidth.of(String(w))
                }
                line = String(w)
                lineWidth = ww
            }
            word = ""
            wordWidth = 0
        }
        for ch in para {
            if ch == " " {
                flushWord()
                word = " "
                wordWidth = 1
            } else {
                // Wide (CJK) characters may break anywhere: each is its own word.
                let cw = DisplayWidth.of(ch)
                if cw == 2 {
                    flushWord()
                    word = String(ch)
                    wordWidth = 2
                    flushWord()
                } else {
                    word.append(ch)
                    wordWidth += cw
                }
            }
        }
        flushWord()
        result.append(trimTrailingSpaces(line))
    }

    private static func wrapASCII(_ bytes: [UInt8], width: Int, into result: inout [String]) {
        var i = 0
        let n = bytes.count
        while i < n {
            if n - i <= width {
                result.append(String(decoding: bytes[i..<n], as: UTF8.self))
                return
            }
            // Find the last space within [i, i+width]; break there.
            var cut = i + width
            var j = cut
            while j > i && bytes[j] != 0x20 { j -= 1 }
            if j > i { cut = j }
            var end = cut
            while end > i && bytes[end - 1] == 0x20 { end -= 1 }
            result.append(String(decoding: bytes[i..<end], as: UTF8.self))
            i = cut
            while i < n && bytes[i] == 0x20 { i += 1 }
        }
    }

    private static func trimTrailingSpaces(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}
