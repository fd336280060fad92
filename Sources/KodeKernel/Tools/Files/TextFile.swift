import Foundation

/// Reading files as text, and telling text from binary.
enum TextFile {
    /// Bytes examined to decide whether a file is binary.
    static let sniffLength = 8_192

    /// True when the bytes look binary: a NUL byte early on, or not valid UTF-8.
    static func looksBinary(_ data: Data) -> Bool {
        let head = data.prefix(sniffLength)
        if head.contains(0) { return true }
        // Cut back over a partial character at the end of the sniffed slice before checking.
        var slice = Array(head)
        if data.count > sniffLength {
            var trailing = 0
            while trailing < 4, let last = slice.last, (last & 0b1100_0000) == 0b1000_0000 {
                slice.removeLast()
                trailing += 1
            }
            if let last = slice.last, last >= 0b1100_0000 { slice.removeLast() }
        }
        return !isValidUTF8(slice)
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Splits text into lines: `\n` ends a line, a trailing `\r` is dropped, and a final newline
    /// does not start an extra empty line.
    ///
    /// Works on UTF-8 bytes: as a `Character`, `"\r\n"` is one grapheme and would not split at `"\n"`.
    static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var lines: [Substring] = []
        var start = utf8.startIndex
        var index = utf8.startIndex
        func emit(upTo end: String.Index) {
            var stop = end
            if stop > start, utf8[utf8.index(before: stop)] == UInt8(ascii: "\r") { stop = utf8.index(before: stop) }
            lines.append(text[start..<stop])
        }
        while index < utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\n") {
                emit(upTo: index)
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start < utf8.endIndex { emit(upTo: utf8.endIndex) }
        return lines
    }

    /// Counts lines the way `lines` does.
    static func lineCount(_ text: String) -> Int {
        guard !text.isEmpty else { return 0 }
        let newlines = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        return text.utf8.last == UInt8(ascii: "\n") ? newlines : newlines + 1
    }
}
