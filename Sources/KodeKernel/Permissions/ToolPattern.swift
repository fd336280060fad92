/// A permission pattern: `tool` or `tool(argument-glob)`.
///
/// - The tool part is a name, where `*` matches any run of characters (`fs_*`, `*`).
/// - The argument glob is matched against the call's permission subject (the command of
///   `bash_run`, the path of file tools): `*` and `**` match any run of characters, `/` included,
///   and `\` makes the next character literal (`\*`, `\\`). Everything else matches itself.
/// - `tool` alone matches every call of the tool; `tool(glob)` matches only calls that have a
///   subject, and only when the whole subject matches.
///
/// Examples: `fs_read`, `fs_*`, `bash_run(git status*)`, `bash_run(npm test)`, `fs_write(src/**)`.
public struct ToolPattern: Sendable, Hashable, CustomStringConvertible {
    /// The tool-name glob.
    public let tool: String
    /// The argument glob, when the pattern has one.
    public let argument: String?

    /// Parses `text`; throws `ToolPatternError` saying what is wrong and where.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ToolPatternError(pattern: text, message: "the pattern is empty") }
        let toolPart: Substring
        if let open = trimmed.firstIndex(of: "(") {
            guard trimmed.hasSuffix(")") else {
                throw ToolPatternError(pattern: text, message: "the argument part opened with \"(\" is not closed with \")\" at the end")
            }
            toolPart = trimmed[..<open]
            let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            guard !inner.isEmpty else {
                throw ToolPatternError(pattern: text, message: "the argument part \"()\" is empty; write the tool name alone to match every call")
            }
            argument = String(inner)
        } else {
            guard !trimmed.contains(")") else {
                throw ToolPatternError(pattern: text, message: "\")\" without a matching \"(\"")
            }
            toolPart = Substring(trimmed)
            argument = nil
        }
        let name = toolPart.trimmingWhitespace()
        guard !name.isEmpty else {
            throw ToolPatternError(pattern: text, message: "the tool name before \"(\" is missing")
        }
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || "_-.:*".contains($0)) }) {
            throw ToolPatternError(pattern: text, message: "the tool name contains \"\(bad)\"; use letters, digits, _ - . : and * only")
        }
        tool = name
    }

    /// True when a call of `toolName` with permission subject `subject` matches.
    public func matches(toolName: String, subject: String?) -> Bool {
        guard Wildcard.matches(pattern: tool, text: toolName) else { return false }
        guard let argument else { return true }
        guard let subject else { return false }
        return Wildcard.matches(pattern: argument, text: subject)
    }

    /// The pattern in canonical form.
    public var description: String {
        argument.map { "\(tool)(\($0))" } ?? tool
    }

    /// `text` with `*` and `\` escaped, for use as a literal inside an argument glob.
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "*" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

/// A permission pattern that cannot be parsed.
public struct ToolPatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public var pattern: String
    /// What is wrong with it.
    public var message: String

    package init(pattern: String, message: String) {
        self.pattern = pattern
        self.message = message
    }

    public var description: String {
        "invalid permission pattern \"\(pattern)\": \(message)"
    }
}

/// `*` (any run of characters) and `\` (escape) matching over whole strings.
enum Wildcard {
    static func matches(pattern: String, text: String) -> Bool {
        let pattern = Array(pattern), text = Array(text)
        // Classic two-pointer matcher: remember the last `*` and retry from one character further.
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                while p < pattern.count, pattern[p] == "*" { p += 1 }
                starP = p
                starT = t
                continue
            }
            if p < pattern.count {
                var literal = pattern[p]
                var width = 1
                if literal == "\\", p + 1 < pattern.count {
                    literal = pattern[p + 1]
                    width = 2
                }
                if literal == text[t] {
                    p += width
                    t += 1
                    continue
                }
            }
            guard starP >= 0 else { return false }
            starT += 1
            t = starT
            p = starP
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }
}
