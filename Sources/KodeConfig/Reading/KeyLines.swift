/// The line each key and table header is written on.
///
/// TOMLKit reports a position for a syntax error only, not for the values it returns, and a
/// message must name the line of a wrong key. So after TOMLKit has parsed (and so accepted) a
/// file, this finds where each key path is written: table headers, `key =` and dotted keys, with
/// multi-line strings skipped. It reads nothing but names; every value comes from TOMLKit.
/// A key it cannot place (inside an inline table) gets the line of the nearest enclosing key.
struct KeyLines: Sendable {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var table: [String] = []
        var openString: String? = nil
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = Substring(raw.trimmingWhitespace())
            if let delimiter = openString {
                if line.components(delimiter) % 2 == 1 { openString = nil }
                continue
            }
            if line.hasPrefix("[") {
                let name = line.drop(while: { $0 == "[" }).prefix(while: { $0 != "]" })
                table = Self.dotted(Substring(name))
                record(table, number)
                continue
            }
            guard let equals = Self.firstUnquoted("=", in: line) else { continue }
            let key = Self.dotted(line[..<equals])
            guard !key.isEmpty else { continue }
            for end in 1...key.count { record(table + key[..<end], number) }
            let value = line[line.index(after: equals)...]
            for delimiter in ["\"\"\"", "'''"] where value.components(delimiter) % 2 == 1 {
                openString = delimiter
            }
        }
    }

    /// The line of `path`, else of its nearest enclosing table or key that is written down, else 1.
    func line(of path: [String]) -> Int {
        var path = path
        while !path.isEmpty {
            if let line = lines[path.joined(separator: "\u{0}")] { return line }
            path.removeLast()
        }
        return 1
    }

    private mutating func record(_ path: [String], _ line: Int) {
        let key = path.joined(separator: "\u{0}")
        if lines[key] == nil { lines[key] = line }
    }

    /// `a."b.c" . d` → `["a", "b.c", "d"]`.
    private static func dotted(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "." {
                parts.append(current.trimmingWhitespace())
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current.trimmingWhitespace())
        return parts.allSatisfy(\.isEmpty) ? [] : parts
    }

    private static func firstUnquoted(_ target: Character, in text: Substring) -> Substring.Index? {
        var quote: Character? = nil
        for i in text.indices {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" {
                return nil
            } else if c == target {
                return i
            }
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }

    /// How many times `delimiter` occurs.
    func components(_ delimiter: String) -> Int {
        String(self).split(separator: delimiter, omittingEmptySubsequences: false).count - 1
    }
}
