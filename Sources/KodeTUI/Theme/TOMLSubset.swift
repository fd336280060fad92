/// A reader for the small part of TOML that theme and config files use: `[table]` headers
/// (dotted names kept as one string), `key = value` with basic strings, integers, booleans and
/// arrays of those, and `#` comments. Anything else is an error naming the line.
package enum TOMLSubset {
    /// A value in the subset.
    package enum Value: Sendable, Hashable {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case array([Value])

        /// The string, when this is one.
        package var string: String? { if case .string(let s) = self { return s } else { return nil } }
    }

    /// A parse error: what and where.
    package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        package var file: String
        package var line: Int
        package var message: String
        package var description: String { "\(file):\(line): \(message)" }
    }

    /// Tables by name (`""` is the root table), each mapping keys to values.
    package typealias Document = [String: [String: Value]]

    /// Parses `text`; `file` names the source in errors.
    package static func parse(_ text: String, file: String = "<toml>") throws -> Document {
        var doc: Document = ["": [:]]
        var table = ""
        var lineNo = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = stripComment(Substring(rawLine)).trimming(" \t\r")
            if line.isEmpty { continue }
            func fail(_ message: String) -> ParseError { ParseError(file: file, line: lineNo, message: message) }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else { throw fail("expected a table header like [name]") }
                table = String(line.dropFirst().dropLast()).trimming(" \t")
                guard !table.isEmpty else { throw fail("empty table name") }
                if doc[table] != nil { throw fail("table [\(table)] defined twice") }
                doc[table] = [:]
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected key = value") }
            var key = String(line[..<eq]).trimming(" \t")
            if key.hasPrefix("\"") && key.hasSuffix("\"") && key.count >= 2 { key = String(key.dropFirst().dropLast()) }
            guard !key.isEmpty else { throw fail("missing key before '='") }
            let rest = String(line[line.index(after: eq)...]).trimming(" \t")
            var scanner = Scanner(text: Array(rest))
            let value: Value
            do {
                value = try scanner.value()
                scanner.skipSpaces()
                if !scanner.atEnd { throw ScanError("unexpected text after the value") }
            } catch let e as ScanError {
                throw fail("key '\(key)': \(e.message)")
            }
            if doc[table]?[key] != nil { throw fail("key '\(key)' defined twice") }
            doc[table, default: [:]][key] = value
        }
        return doc
    }

    private static func stripComment(_ line: Substring) -> Substring {
        var inString = false
        var escaped = false
        for i in line.indices {
            let c = line[i]
            if escaped { escaped = false; continue }
            if c == "\\" && inString { escaped = true; continue }
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return line[..<i] }
        }
        return line
    }

    private struct ScanError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    private struct Scanner {
        var text: [Character]
        var pos = 0
        var atEnd: Bool { pos >= text.count }

        mutating func skipSpaces() { while pos < text.count, text[pos] == " " || text[pos] == "\t" { pos += 1 } }

        mutating func value() throws -> Value {
            skipSpaces()
            guard pos < text.count else { throw ScanError("missing value") }
            let c = text[pos]
            if c == "\"" { return .string(try string()) }
            if c == "[" {
                pos += 1
                var items: [Value] = []
                while true {
                    skipSpaces()
                    guard pos < text.count else { throw ScanError("unterminated array") }
                    if text[pos] == "]" { pos += 1; break }
                    items.append(try value())
                    skipSpaces()
                    guard pos < text.count else { throw ScanError("unterminated array") }
                    if text[pos] == "," { pos += 1 } else if text[pos] != "]" { throw ScanError("expected ',' or ']' in array") }
                }
                return .array(items)
            }
            var word = ""
            while pos < text.count, text[pos] != ",", text[pos] != "]", text[pos] != " ", text[pos] != "\t" {
                word.append(text[pos])
                pos += 1
            }
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            if let n = Int(word.replacingOccurrences(of: "_", with: "")) { return .integer(n) }
            throw ScanError("unsupported value '\(word)' (use a \"string\", an integer, true/false or an array)")
        }

        mutating func string() throws -> String {
            pos += 1
            var out = ""
            while pos < text.count {
                let c = text[pos]
                pos += 1
                if c == "\"" { return out }
                if c == "\\" {
                    guard pos < text.count else { break }
                    let e = text[pos]
                    pos += 1
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    default: throw ScanError("unsupported escape '\\\(e)'")
                    }
                } else {
                    out.append(c)
                }
            }
            throw ScanError("unterminated string")
        }
    }
}

extension StringProtocol {
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
