/// The front matter of a `SKILL.md`: the lines between a first line `---` and the next `---`,
/// each `key: value` (a value may be in single or double quotes). `name` and `description` are
/// required; other keys are kept but unused, as other tools that read skills add their own.
struct SkillFrontMatter: Sendable, Hashable {
    var name: String
    var description: String
    /// The text after the closing `---`.
    var body: String

    /// Why a file is not a skill, with the line (1-based) where it went wrong.
    struct Problem: Error, Sendable, Hashable {
        var line: Int
        var message: String
    }

    static func parse(_ text: String) throws(Problem) -> SkillFrontMatter {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        guard lines.first == "---" else {
            throw Problem(line: 1, message: "a SKILL.md starts with a front matter block opened by a line '---'")
        }
        var fields: [String: String] = [:]
        // The line each key was on, so a bad value is reported where it is.
        var lineOf: [String: Int] = [:]
        var closing: Int?
        for index in 1..<lines.count {
            let line = lines[index]
            if line == "---" {
                closing = index
                break
            }
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw Problem(line: index + 1, message: "expected 'key: value'")
            }
            let key = line[..<colon].trimmingSpaces
            var value = line[line.index(after: colon)...].trimmingSpaces
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            fields[key] = value
            lineOf[key] = index + 1
        }
        guard let closing else {
            throw Problem(line: lines.count, message: "the front matter is not closed by a line '---'")
        }
        guard let name = fields["name"], !name.isEmpty else {
            throw Problem(line: lineOf["name"] ?? 1, message: "the front matter has no 'name'")
        }
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw Problem(line: lineOf["name"] ?? 1, message: "the name '\(name)' may hold only lowercase letters, digits, '-' and '_'")
        }
        guard let description = fields["description"], !description.isEmpty else {
            throw Problem(line: lineOf["description"] ?? 1, message: "the front matter has no 'description'")
        }
        let body = lines[(closing + 1)...].joined(separator: "\n")
        return SkillFrontMatter(name: name, description: description, body: body)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
