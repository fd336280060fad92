import Testing
import KodeKernel

@Suite struct ToolPatternTests {
    @Test func parsesNamesAndArguments() throws {
        let bare = try ToolPattern(parsing: "fs_read")
        #expect(bare.tool == "fs_read" && bare.argument == nil)
        let withArgument = try ToolPattern(parsing: "  bash_run(git status*) ")
        #expect(withArgument.tool == "bash_run" && withArgument.argument == "git status*")
        #expect(withArgument.description == "bash_run(git status*)")
        // Parentheses inside the argument are fine: it runs to the final `)`.
        #expect(try ToolPattern(parsing: "bash_run(echo (x))").argument == "echo (x)")
    }

    @Test(arguments: [
        ("", "the pattern is empty"),
        ("bash_run(git", "the argument part opened with \"(\" is not closed with \")\" at the end"),
        ("bash_run()", "the argument part \"()\" is empty; write the tool name alone to match every call"),
        ("(ls)", "the tool name before \"(\" is missing"),
        ("fs read", "the tool name contains \" \"; use letters, digits, _ - . : and * only"),
        ("fs_read)", "\")\" without a matching \"(\""),
    ])
    func parseErrorsSayWhatIsWrong(_ text: String, _ message: String) {
        #expect(throws: ToolPatternError(pattern: text, message: message)) { try ToolPattern(parsing: text) }
    }

    @Test func errorDescriptionNamesThePattern() {
        #expect(ToolPatternError(pattern: "x(", message: "m").description == "invalid permission pattern \"x(\": m")
    }

    @Test(arguments: [
        ("fs_read", "fs_read", "a.txt", true),
        ("fs_read", "fs_write", "a.txt", false),
        ("fs_*", "fs_write", nil, true),
        ("fs_*", "bash_run", "ls", false),
        ("*", "anything", nil, true),
        ("bash_run(git status*)", "bash_run", "git status --short", true),
        ("bash_run(git status*)", "bash_run", "git status", true),
        ("bash_run(git status*)", "bash_run", "git push", false),
        ("bash_run(git status*)", "bash_run", nil, false),
        ("bash_run(npm test)", "bash_run", "npm test", true),
        ("bash_run(npm test)", "bash_run", "npm test --watch", false),
        ("bash_run(rm *)", "bash_run", "rm -rf build", true),
        ("fs_write(src/**)", "fs_write", "src/a/b.swift", true),
        ("fs_write(src/*)", "fs_write", "src/a/b.swift", true),
        ("fs_write(src/**)", "fs_write", "docs/a.md", false),
        ("fs_write(*.md)", "fs_write", "README.md", true),
        ("fs_write(a\\*b)", "fs_write", "a*b", true),
        ("fs_write(a\\*b)", "fs_write", "axxb", false),
        ("fs_write(**/*.swift)", "fs_write", "x/y.swift", true),
    ] as [(String, String, String?, Bool)])
    func matching(_ pattern: String, _ tool: String, _ subject: String?, _ expected: Bool) throws {
        #expect(try ToolPattern(parsing: pattern).matches(toolName: tool, subject: subject) == expected)
    }
}

@Suite struct AlwaysPatternTests {
    @Test(arguments: [
        ("bash_run", "git status --short", "bash_run(git status*)"),
        ("bash_run", "npm run-script build", "bash_run(npm run-script*)"),
        ("bash_run", "ls -la", "bash_run(ls*)"),
        ("bash_run", "cat ./README.md", "bash_run(cat*)"),
        ("bash_run", "make test --verbose", "bash_run(make test*)"),
        ("bash_run", "ma*ke all", "bash_run(ma\\*ke all*)"),
        ("fs_write", "src/a.swift", "fs_write(src/a.swift)"),
        ("fs_edit", "notes/*.md", "fs_edit(notes/\\*.md)"),
        ("todo_write", nil, "todo_write"),
        ("bash_kill", "sh_1", "bash_kill"),
        ("bash_run", nil, "bash_run"),
    ] as [(String, String?, String)])
    func rules(_ tool: String, _ subject: String?, _ expected: String) throws {
        let pattern = PermissionEvaluator.alwaysPattern(toolName: tool, subject: subject)
        #expect(pattern == expected)
        // The rule always parses and always covers the call it came from.
        #expect(try ToolPattern(parsing: pattern).matches(toolName: tool, subject: subject))
    }
}
