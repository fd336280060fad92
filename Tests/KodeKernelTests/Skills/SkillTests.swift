import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Skills")
struct SkillTests {
    /// A project and a user skills folder with `skills` (folder name → SKILL.md text) in each.
    struct Folders {
        let root: TemporaryDirectory
        var project: URL { root.url.appendingPathComponent("project/.kode/skills") }
        var user: URL { root.url.appendingPathComponent("user/skills") }

        init(project: [String: String], user: [String: String]) throws {
            root = try TemporaryDirectory(prefix: "kode-skills")
            for (skills, base) in [(project, root.url.appendingPathComponent("project/.kode/skills")), (user, root.url.appendingPathComponent("user/skills"))] {
                for (folder, text) in skills {
                    let directory = base.appendingPathComponent(folder)
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                    try text.write(to: directory.appendingPathComponent("SKILL.md"), atomically: true, encoding: .utf8)
                }
            }
        }

        var catalog: SkillCatalog { SkillCatalog.discover(projectDirectory: project, userDirectory: user) }
    }

    static func skill(_ name: String, _ description: String, body: String = "Do the thing.") -> String {
        "---\nname: \(name)\ndescription: \"\(description)\"\n---\n\(body)\n"
    }

    @Test func projectSkillsHideUserSkillsOfTheSameName() throws {
        let folders = try Folders(
            project: ["release": Self.skill("release", "cut a release (project)")],
            user: ["release": Self.skill("release", "cut a release (user)"), "review": Self.skill("review", "review a change")])
        let catalog = folders.catalog
        #expect(catalog.skills.map(\.name) == ["release", "review"])
        #expect(catalog.skill(named: "release")?.description == "cut a release (project)")
        #expect(catalog.skill(named: "release")?.origin == .project)
        #expect(catalog.skill(named: "review")?.origin == .user)
        #expect(catalog.problems.isEmpty)
    }

    @Test func brokenSkillFilesAreReportedWithTheirLineAndTheOthersStillOffered() throws {
        let folders = try Folders(project: [
            "good": Self.skill("good", "works"),
            "unopened": "name: x\n",
            "unclosed": "---\nname: y\ndescription: z\n",
            "nameless": "---\ndescription: z\n---\n",
            "badline": "---\nname: q\nthis line has no colon\n---\n",
            "Upper": "---\nname: Upper\ndescription: z\n---\n",
        ], user: [:])
        let catalog = folders.catalog
        #expect(catalog.skills.map(\.name) == ["good"])
        let problems = Dictionary(uniqueKeysWithValues: catalog.problems.map { (URL(fileURLWithPath: $0.file).deletingLastPathComponent().lastPathComponent, $0) })
        #expect(problems["unopened"]?.line == 1)
        #expect(problems["unclosed"]?.message.contains("not closed") == true)
        #expect(problems["nameless"]?.message.contains("no 'name'") == true)
        #expect(problems["badline"]?.line == 3)
        #expect(problems["Upper"]?.message.contains("lowercase") == true)
        #expect(problems["Upper"]?.line == 2, "the line of the bad name")
        #expect(catalog.problems.allSatisfy { $0.description.hasPrefix($0.file + ":") })
    }

    @Test func theToolListsSkillsAndLoadsOneWithItsFiles() async throws {
        let folders = try Folders(project: ["release": Self.skill("release", "cut a release", body: "Run scripts/bump.sh first.")], user: [:])
        try FileManager.default.createDirectory(at: folders.project.appendingPathComponent("release/scripts"), withIntermediateDirectories: true)
        try "echo bumped\n".write(to: folders.project.appendingPathComponent("release/scripts/bump.sh"), atomically: true, encoding: .utf8)
        let tool = SkillTool(catalog: folders.catalog)
        #expect(tool.description.contains("- release: cut a release"))
        #expect(tool.isReadOnly)

        let script = #"{"turns":[{"tool_calls":[{"name":"skill","input":{"name":"release"}}]},{"tool_calls":[{"name":"skill","input":{"name":"nope"}}]},{"text":"done"}]}"#
        var registry = ToolRegistry.builtins()
        registry.register(tool)
        let h = try await AgentHarness.make(script: script, permission: .readonly, tools: registry)
        _ = try await h.agent.chat("release it")
        let calls = await h.agent.snapshot().toolCalls.values.sorted { $0.createdAt < $1.createdAt }
        #expect(calls.count == 2)
        let loaded = try #require(calls.first?.outputPreview)
        #expect(loaded.contains("Run scripts/bump.sh first."))
        #expect(loaded.contains("- scripts/bump.sh"))
        #expect(loaded.contains("folder: \(folders.project.appendingPathComponent("release").path)"))
        // The schema names the skills, so an unknown one is refused before the tool runs.
        #expect(calls.last?.isError == true)
        await h.tearDown()
    }

    @Test func anEditedSkillIsReadAgainWhenLoaded() async throws {
        let folders = try Folders(project: ["notes": Self.skill("notes", "take notes", body: "old body")], user: [:])
        let tool = SkillTool(catalog: folders.catalog)
        try Self.skill("notes", "take notes", body: "new body").write(
            to: folders.project.appendingPathComponent("notes/SKILL.md"), atomically: true, encoding: .utf8)
        let script = #"{"turns":[{"tool_calls":[{"name":"skill","input":{"name":"notes"}}]},{"text":"done"}]}"#
        var registry = ToolRegistry.builtins()
        registry.register(tool)
        let h = try await AgentHarness.make(script: script, permission: .readonly, tools: registry)
        _ = try await h.agent.chat("go")
        let output = try #require(await h.agent.snapshot().toolCalls.values.first?.outputPreview)
        #expect(output.contains("new body"))
        await h.tearDown()
    }
}
