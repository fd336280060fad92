import Foundation
import KodeConfig
import KodeKernel
import KodeTestSupport
import Testing

@Suite("configuration: templates")
struct TemplateTests {
    static let user = """
        [agent]
        max_steps = 40
        thinking = "low"

        [permissions]
        mode = "approval"
        allow = ["fs_read", "bash_run(git status*)"]
        deny = ["bash_run(rm -rf *)"]
        denied_commands = ["git push"]

        [sandbox]
        network = true

        [models."claude-opus-4"]
        thinking = "high"

        [templates.review]
        description = "read and comment, never write"
        system_prompt = "You review code."
        provider = "anthropic"
        model = "claude-opus-4"
        tools = ["fs_read", "fs_grep", "fs_glob"]
        max_steps = 10

        [templates.review.permissions]
        mode = "readonly"
        deny = ["fs_write(docs/**)"]

        [templates.review.sandbox]
        mode = "read-only"

        [templates.fast]
        thinking = "off"
        model = "claude-opus-4"
        """

    @Test("a template's keys win over the tables, pattern lists add up, and each value knows its source")
    func templateOverTables() throws {
        let files = try ConfigFiles(user: Self.user)
        let settings = try files.load()
        #expect(settings.templates == ["fast", "review"])
        let review = try settings.agentDefaults(template: "review")
        #expect(review.template == "review")
        #expect(review.systemPrompt == "You review code.")
        #expect(review.provider == "anthropic")
        #expect(review.tools == ["fs_read", "fs_grep", "fs_glob"])
        #expect(review.maxSteps == 10)
        #expect(review.permission.mode == .readonly)
        #expect(review.permission.allow == ["fs_read", "bash_run(git status*)"])
        #expect(review.permission.deny == ["bash_run(rm -rf *)", "fs_write(docs/**)"])
        #expect(review.deniedCommands == ["git push"])
        #expect(review.sandbox.mode == .readOnly)
        #expect(review.sandbox.network, "the template leaves network to [sandbox]")
        #expect(review.permission.origin(of: "readonly", in: .mode) == "template review (~/.config/kode/config.toml:26)")
        #expect(review.permission.origin(of: "fs_write(docs/**)", in: .deny) == "template review (~/.config/kode/config.toml:27)")
        #expect(review.permission.origin(of: "fs_read", in: .allow) == "~/.config/kode/config.toml:7")
        // [models.NAME] overrides [agent]; the template's own thinking key overrides both.
        #expect(review.thinking(model: "claude-opus-4").level == .high)
        #expect(try settings.agentDefaults(template: "fast").thinking(model: "claude-opus-4").level == .off)
        let plain = try settings.agentDefaults(template: nil)
        #expect(plain.thinking(model: "other").level == .low)
        #expect(plain.maxSteps == 40)
        #expect(plain.tools == nil)
        #expect(plain.sandbox.mode == .workspaceWrite)
        #expect(plain.permission.origin(of: "approval", in: .mode) == "~/.config/kode/config.toml:6")
    }

    @Test("the project's file overrides a user template key by key")
    func projectOverridesTemplate() throws {
        let files = try ConfigFiles(user: Self.user, project: "[templates.review]\nmax_steps = 3\n")
        let review = try files.load().agentDefaults(template: "review")
        #expect(review.maxSteps == 3)
        #expect(review.systemPrompt == "You review code.")
    }

    @Test("an unknown template is an error listing the configured ones, or saying there are none")
    func unknownTemplate() throws {
        let settings = try ConfigFiles(user: Self.user).load()
        #expect(throws: UnknownTemplateError.self) { try settings.agentDefaults(template: "reveiw") }
        do {
            _ = try settings.agentDefaults(template: "reveiw")
        } catch {
            #expect("\(error)" == "unknown template 'reveiw' (configured: fast, review)")
        }
        do {
            _ = try ConfigFiles().load().agentDefaults(template: "x")
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("unknown template 'x': no templates are configured (add a [templates.x] table"), "\(error)")
        }
    }

    @Test("errors inside templates name the file, the line and the nested table")
    func nestedErrors() throws {
        let bad = try ConfigFiles(user: "[templates.review]\nmax_steps = 2\n\n[templates.review.sandbox]\nmode = \"open\"\n")
        #expect(bad.error()?.description == "~/.config/kode/config.toml:5: 'mode' in [templates.review.sandbox] must be one of \"read-only\", \"workspace-write\", \"full\", not \"open\"")
        let unknown = try ConfigFiles(user: "[templates.review]\nmax_stepz = 2\n")
        #expect(unknown.error()?.description.hasPrefix("~/.config/kode/config.toml:2: unknown key 'max_stepz' in [templates.review] (known: description, provider,") == true,
                "\(String(describing: unknown.error()))")
        let notTable = try ConfigFiles(user: "[templates]\nreview = \"x\"\n")
        #expect(notTable.error()?.description == "~/.config/kode/config.toml:2: 'review' in [templates] must be a table ([templates.review]), not \"x\"")
        let moved = try ConfigFiles(user: "[agent]\npermission_mode = \"auto\"\n")
        #expect(moved.error()?.description.hasSuffix("; it is now 'mode' in [permissions]") == true, "\(String(describing: moved.error()))")
    }

    @Test("a malformed pattern or an unknown tool is an error at its line")
    func badPatternsAndTools() throws {
        let pattern = try ConfigFiles(project: "[permissions]\n\nallow = [\"bash_run(git status*\"]\n").load()
        do {
            _ = try pattern.agentDefaults(template: nil)
            Issue.record("no error")
        } catch let error as ConfigError {
            #expect(error.line == 3)
            #expect(error.message.contains("invalid permission pattern \"bash_run(git status*\""), "\(error)")
        }
        let tools = try ConfigFiles(user: "[templates.t]\ntools = [\"fs_read\", \"fs_raed\"]\n").load()
        do {
            _ = try tools.agentDefaults(template: "t")
            Issue.record("no error")
        } catch let error as ConfigError {
            #expect(error.description.hasPrefix("~/.config/kode/config.toml:2: unknown tool 'fs_raed' in 'tools' of [templates.t] (known: bash_kill,"), "\(error)")
        }
    }

    @Test("a profile name may hold dots; a template's own sub-tables are not taken for names")
    func dottedNames() throws {
        let settings = try ConfigFiles(user: "[models.\"gpt-4.1\"]\nthinking = \"medium\"\n[templates.a]\n[templates.a.sandbox]\nnetwork = true\n[templates.\"v1.2\"]\nmax_steps = 2\n").load()
        #expect(settings.names(in: "models") == ["gpt-4.1"])
        #expect(settings.templates == ["a", "v1.2"])
        #expect(try settings.agentDefaults(template: nil).thinking(model: "gpt-4.1").level == .medium)
        #expect(try settings.agentDefaults(template: "a").sandbox.network)
        #expect(try settings.agentDefaults(template: "v1.2").maxSteps == 2)
    }
}
