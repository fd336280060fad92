import Foundation

/// `skill`: loads a skill's instructions when the model decides it needs them. The tool's
/// description lists every skill by name and description, which is all the model sees of a
/// skill until it asks.
public struct SkillTool: Tool {
    public let catalog: SkillCatalog
    public let name = "skill"
    public let isReadOnly = true

    /// A tool offering `catalog`'s skills.
    public init(catalog: SkillCatalog) { self.catalog = catalog }

    public var description: String {
        var text = "Loads a skill: instructions (and scripts in its folder, run with bash_run) for a kind of task. Skills:"
        for skill in catalog.skills { text += "\n- \(skill.name): \(skill.description)" }
        return text
    }

    public var inputSchema: JSONValue {
        .object([
            "type": "object",
            "properties": .object([
                "name": .object(["type": "string", "enum": .array(catalog.skills.map { .string($0.name) })]),
            ]),
            "required": ["name"],
            "additionalProperties": false,
        ])
    }

    public func permissionSubject(for input: JSONValue) -> String? { input.objectValue?["name"]?.stringValue }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let requested = input.objectValue?["name"]?.stringValue ?? ""
        guard let skill = catalog.skill(named: requested) else {
            return .failure("no skill named '\(requested)'; the skills are: \(catalog.skills.map(\.name).joined(separator: ", "))")
        }
        // Read now, not at discovery: the skill may have been edited since the agent started.
        let file = skill.folder.appendingPathComponent("SKILL.md")
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            return .failure("cannot read \(file.path): \(error.localizedDescription)")
        }
        let front: SkillFrontMatter
        do {
            front = try SkillFrontMatter.parse(text)
        } catch {
            return .failure("\(file.path):\(error.line): \(error.message)")
        }
        var output = "Skill \(skill.name) (folder: \(skill.folder.path))\n\n" + front.body.trimmingCharacters(in: .newlines)
        let files = Self.files(in: skill.folder)
        if !files.isEmpty {
            output += "\n\nFiles in the skill's folder (paths relative to it):\n" + files.map { "- \($0)" }.joined(separator: "\n")
        }
        return ToolOutput(content: output)
    }

    /// The folder's files other than SKILL.md, at most 200, for the model to know what it may run.
    static func files(in folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var files: [String] = []
        while let path = walker.nextObject() as? String, files.count < 200 {
            if path == "SKILL.md" || path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }
}
