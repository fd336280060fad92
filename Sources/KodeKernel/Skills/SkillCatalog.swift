import Foundation

/// A skill: a folder with a `SKILL.md` whose front matter names and describes it. The model sees
/// the name and description; the body (instructions, and scripts in the folder that it runs with
/// `bash_run`, under the same policy as any command) is loaded when it asks for the skill.
public struct Skill: Sendable, Hashable {
    /// Where a skill was found; a project skill hides a user skill of the same name.
    public enum Origin: String, Sendable, Hashable {
        case project, user
    }

    public var name: String
    public var description: String
    /// The skill's folder.
    public var folder: URL
    public var origin: Origin
}

/// The skills of a project and a user, found in `<work dir>/.kode/skills/*/SKILL.md` and
/// `<user config dir>/skills/*/SKILL.md`.
public struct SkillCatalog: Sendable, Hashable {
    /// A `SKILL.md` that could not be read as a skill, and why (the others are still offered).
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// The skills, by name.
    public private(set) var skills: [Skill]
    /// Files that looked like skills and are not.
    public private(set) var problems: [Problem]

    /// The skills under `projectDirectory` (a project's `.kode/skills`) and `userDirectory`
    /// (`~/.config/kode/skills`); either may be missing.
    public static func discover(projectDirectory: URL?, userDirectory: URL?) -> SkillCatalog {
        var byName: [String: Skill] = [:]
        var problems: [Problem] = []
        // The user's first, so the project's replace them.
        for (directory, origin) in [(userDirectory, Skill.Origin.user), (projectDirectory, .project)] {
            guard let directory else { continue }
            for skill in scan(directory, origin: origin, problems: &problems) { byName[skill.name] = skill }
        }
        return SkillCatalog(skills: byName.values.sorted { $0.name < $1.name }, problems: problems)
    }

    /// The skill called `name`.
    public func skill(named name: String) -> Skill? { skills.first { $0.name == name } }

    private static func scan(_ directory: URL, origin: Skill.Origin, problems: inout [Problem]) -> [Skill] {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: directory.path) else { return [] }
        var found: [Skill] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let folder = directory.appendingPathComponent(entry)
            let file = folder.appendingPathComponent("SKILL.md")
            guard manager.fileExists(atPath: file.path) else { continue }
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                problems.append(Problem(file: file.path, line: 1, message: "cannot be read as UTF-8 text"))
                continue
            }
            do {
                let front = try SkillFrontMatter.parse(text)
                found.append(Skill(name: front.name, description: front.description, folder: folder, origin: origin))
            } catch {
                problems.append(Problem(file: file.path, line: error.line, message: error.message))
            }
        }
        return found
    }
}
