import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// Templates, permission rules and the small things (`--version`, the store's .gitignore)
/// through the real `kode` binary, with HOME in a temporary directory.
@Suite("kode: templates, rules, version, store .gitignore")
struct PolicyCommandTests {
    let home: TemporaryDirectory
    let work: TemporaryDirectory
    var store: String { home.path + "/store" }
    var environment: [String: String] { ["HOME": home.path, "XDG_CONFIG_HOME": home.path + "/xdg", "KODE_STORE": ""] }

    init() throws {
        home = try TemporaryDirectory(prefix: "kode-cli-policy-home")
        work = try TemporaryDirectory(prefix: "kode-cli-policy-work")
    }

    func write(_ text: String, _ path: String, in directory: TemporaryDirectory) throws {
        let url = directory.appending(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func manifest(_ id: String) throws -> JSONValue? {
        try JSONValue.parse(try String(contentsOfFile: "\(store)/agents/\(id)/manifest.json", encoding: .utf8))["config"]
    }

    /// Runs `executable arguments…` in `directory`.
    func run(in directory: String, _ executable: String, _ arguments: [String]) async throws -> KodeCLI.Result {
        let process = try RunningProcess(executable: URL(fileURLWithPath: "/bin/sh"),
                                         arguments: ["-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments,
                                         stdin: nil, environment: environment)
        return try await process.finish()
    }

    @Test("kode --version prints the version")
    func version() async throws {
        let result = try await KodeCLI.run(["--version"], environment: environment)
        #expect(result.status == 0)
        #expect(result.stdout == "0.1.0\n")
    }

    @Test("the default store keeps itself out of git status")
    func storeIsIgnoredByGit() async throws {
        let kode = try KodeCLI.binary().path
        let repo = work.path
        #expect(try await run(in: repo, "git", ["init", "-q"]).status == 0)
        try write("hello\n", "README.md", in: work)
        let result = try await run(in: repo, kode, ["run", "--provider", "demo", "--approve", "none", "--prompt", "hi"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo + "/.kode/agents"), "the store was made in ./.kode")
        #expect(FileManager.default.fileExists(atPath: repo + "/.kode/.gitignore"))
        let status = try await run(in: repo, "git", ["status", "--porcelain", "--untracked-files=all"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout == "?? README.md\n", "\(status.stdout)")
    }

    static let config = """
        [permissions]
        allow = ["fs_read"]

        [templates.review]
        system_prompt = "You review."
        tools = ["fs_read", "fs_grep"]
        max_steps = 7

        [templates.review.sandbox]
        mode = "read-only"

        [templates.review.permissions]
        allow_paths = ["~/cache", "vendor"]
        denied_commands = ["git push"]
        """

    @Test("--template applies a profile and is recorded in the manifest; flags still win")
    func template() async throws {
        try write(Self.config, ".kode/config.toml", in: work)
        try FileManager.default.createDirectory(atPath: home.path + "/cache", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: work.path + "/vendor", withIntermediateDirectories: true)
        let result = try await KodeCLI.run(["run", "--workdir", work.path, "--store", store, "--provider", "demo",
                                            "--template", "review", "--thinking", "medium", "--max-steps", "9", "--prompt", "hi"],
                                           environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let id = try #require(result.agentId)
        let config = try #require(try manifest(id))
        #expect(config["template"] == "review")
        #expect(config["systemPrompt"] == "You review.")
        #expect(config["tools"] == ["fs_read", "fs_grep"])
        #expect(config["maxSteps"] == 9)
        #expect(config["sandbox"]?["mode"] == "read-only")
        #expect(config["thinking"]?["level"] == "medium")
        #expect(config["permission"]?["allow"] == ["fs_read"])
        let workPath = URL(fileURLWithPath: work.path).resolvingSymlinksInPath().path
        #expect(config["allowPaths"] == .array([.string(home.path + "/cache"), .string(workPath + "/vendor")]), "\(String(describing: config["allowPaths"]))")
        #expect(config["deniedCommands"] == ["git push"])
    }

    @Test("an unknown template is a usage error naming the configured ones")
    func unknownTemplate() async throws {
        try write(Self.config, ".kode/config.toml", in: work)
        let result = try await KodeCLI.run(["run", "--workdir", work.path, "--store", store, "--provider", "demo", "--template", "reveiw", "--prompt", "hi"],
                                           environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown template 'reveiw' (configured: review)"), "\(result.stderr)")
    }

    @Test("flags that set up a new agent are refused with --agent, never ignored")
    func refusedWithAgent() async throws {
        let first = try await KodeCLI.run(["run", "--store", store, "--workdir", work.path, "--provider", "demo", "--approve", "none", "--prompt", "hi"], environment: environment)
        let id = try #require(first.agentId, "\(first.stderr)")
        let result = try await KodeCLI.run(["run", "--store", store, "--agent", id, "--max-steps", "3", "--thinking", "high", "--prompt", "again"], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--thinking high (the agent has off), --max-steps 3 (the agent has 100): these set up a new agent and cannot change the stored agent \(id)"), "\(result.stderr)")
        // A flag equal to the stored value is in effect already: scripts may repeat theirs.
        let same = try await KodeCLI.run(["run", "--store", store, "--agent", id, "--max-steps", "100", "--workdir", work.path, "--approve", "none", "--prompt", "again"], environment: environment)
        #expect(same.status == 0, "\(same.stderr)")
        // The provider flags do apply, for this run.
        let provider = try await KodeCLI.run(["run", "--store", store, "--agent", id, "--provider", "demo", "--approve", "none", "--prompt", "again"], environment: environment)
        #expect(provider.status == 0, "\(provider.stderr)")
    }

    @Test("approve --scope project writes the rule to .kode/config.toml; kode rules lists it with its source; --revoke takes it out")
    func projectRuleThroughTheCLI() async throws {
        try write(Self.config, ".kode/config.toml", in: work)
        try write(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"git status --short"}}]},{"text":"done"}]}"#, "script.json", in: home)
        let first = try await KodeCLI.run(["run", "--store", store, "--workdir", work.path, "--provider", "scripted", "--script", home.path + "/script.json",
                                           "--sandbox", "full", "--prompt", "check"], environment: environment)
        #expect(first.status == 3, "\(first.stderr)")
        let id = try #require(first.agentId)
        let callId = try #require(first.lines.first { $0.hasPrefix("pending ") }).dropFirst("pending ".count)

        let approve = try await KodeCLI.run(["approve", id, String(callId), "--allow", "--scope", "project", "--store", store], environment: environment)
        #expect(approve.status == 0, "\(approve.stderr)")
        #expect(approve.stdout.contains("(always, for this project)"))
        let configText = try String(contentsOfFile: work.path + "/.kode/config.toml", encoding: .utf8)
        #expect(configText.contains("allow = [\"fs_read\", \"bash_run(git status*)\"]"), "\(configText)")

        let rules = try await KodeCLI.run(["rules", id, "--store", store], environment: environment)
        #expect(rules.status == 0, "\(rules.stderr)")
        #expect(rules.stdout.contains("mode approval  (default)"), "\(rules.stdout)")
        #expect(rules.stdout.contains("allow            fs_read  (\(work.path)/.kode/config.toml:2)"), "\(rules.stdout)")
        #expect(rules.stdout.contains("always-allow     rule_"), "\(rules.stdout)")
        #expect(rules.stdout.contains("bash_run(git status*)  (granted by cli for this project"), "\(rules.stdout)")

        let policy = try await KodeCLI.run(["rules", id, "--revoke", "fs_read", "--store", store], environment: environment)
        #expect(policy.status == 2)
        #expect(policy.stderr.contains("'fs_read' is in the allow list of \(id)'s configuration (from \(work.path)/.kode/config.toml:2), not an \"always\" rule"), "\(policy.stderr)")

        let revoke = try await KodeCLI.run(["rules", id, "--revoke", "bash_run(git status*)", "--store", store], environment: environment)
        #expect(revoke.status == 0, "\(revoke.stderr)")
        #expect(try String(contentsOfFile: work.path + "/.kode/config.toml", encoding: .utf8).contains("allow = [\"fs_read\"]"))
        let after = try await KodeCLI.run(["rules", id, "--store", store, "--json"], environment: environment)
        let rows = try #require(try JSONValue.parse(after.stdout).arrayValue)
        #expect(!rows.contains { $0["kind"] == "always-allow" }, "revoked, and that is in the log")
        let events = try await KodeCLI.run(["events", id, "--store", store, "--json"], environment: environment)
        #expect(events.stdout.contains("\"change\":\"revoked\"") || events.stdout.contains("\"change\" : \"revoked\""), "recorded in the log")
    }

    @Test("kode config shows the templates with their sources")
    func configShowsTemplates() async throws {
        try write(Self.config, ".kode/config.toml", in: work)
        let result = try await KodeCLI.run(["config", "--workdir", work.path], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let file = work.path + "/.kode/config.toml"
        #expect(result.stdout.contains("\n[templates.review]\nmax_steps = 7  # \(file):7\nsystem_prompt = \"You review.\"  # \(file):5\n"), "\(result.stdout)")
        #expect(result.stdout.contains("\n[templates.review.sandbox]\nmode = \"read-only\"  # \(file):10\n"), "\(result.stdout)")
        #expect(result.stdout.contains("allow = [\"fs_read\"]  # \(file):2"), "\(result.stdout)")
        #expect(result.stdout.contains("# [models.NAME]: none configured"), "\(result.stdout)")
        let json = try await KodeCLI.run(["config", "--workdir", work.path, "--json"], environment: environment)
        #expect(json.stdout.contains("\"key\" : \"templates.review.max_steps\""), "\(json.stdout)")
    }

    @Test("kode config checks every template's patterns and tools")
    func configChecksTemplates() async throws {
        try write("[templates.t.permissions]\nallow = [\"fs_read\", \"bash_run(git\"]\n", ".kode/config.toml", in: work)
        let result = try await KodeCLI.run(["config", "--workdir", work.path], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(work.path)/.kode/config.toml:2: invalid permission pattern \"bash_run(git\""), "\(result.stderr)")
    }
}
