import Foundation
import KodeConfig
import KodeKernel
import KodeTestSupport
import Testing

/// The configuration files as a user has them: real files under a temporary HOME and work directory.
struct ConfigFiles {
    let home: TemporaryDirectory
    let work: TemporaryDirectory
    var environment: [String: String] { ["HOME": home.path] }

    init(user: String? = nil, project: String? = nil) throws {
        home = try TemporaryDirectory(prefix: "kode-config-home")
        work = try TemporaryDirectory(prefix: "kode-config-work")
        if let user { try Self.write(user, to: home.appending(".config/kode/config.toml")) }
        if let project { try Self.write(project, to: work.appending(".kode/config.toml")) }
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func load() throws(ConfigError) -> Configuration { try Configuration.load(environment: environment, workDir: work.path) }

    func error() -> ConfigError? {
        do {
            _ = try load()
            return nil
        } catch {
            return error
        }
    }
}

@Suite("configuration: precedence")
struct PrecedenceTests {
    @Test("the project's file overrides the user's key by key, and the defaults fill the rest")
    func projectOverUserOverDefault() throws {
        let files = try ConfigFiles(
            user: "# mine\n[app]\ntheme = \"light\"\non_hangup = \"stop\"\n\n[agent]\nmax_steps = 20\n",
            project: "[app]\n\ntheme = \"mono\"\n")
        let settings = try files.load()
        #expect(settings.files == ["~/.config/kode/config.toml", files.work.path + "/.kode/config.toml"])
        #expect(settings.theme.value == .string("mono"))
        #expect(settings.theme.source == .file(files.work.path + "/.kode/config.toml", line: 3))
        #expect(settings.onHangup.value == .string("stop"))
        #expect(settings.onHangup.source == .file("~/.config/kode/config.toml", line: 4))
        #expect(settings.maxSteps == 20)
        #expect(settings["agent", "max_steps"]?.source.description == "~/.config/kode/config.toml:7")
        #expect(settings.permissionMode == .approval)
        #expect(settings["permissions", "mode"]?.source == .defaultValue)
        #expect(settings["agent", "provider"] == nil)
    }

    @Test("XDG_CONFIG_HOME moves the user's file; no files at all means the defaults")
    func xdgAndNone() throws {
        let files = try ConfigFiles()
        let xdg = try TemporaryDirectory(prefix: "kode-xdg")
        try ConfigFiles.write("[app]\non_hangup = \"stop\"\n", to: xdg.appending("kode/config.toml"))
        let settings = try Configuration.load(environment: ["HOME": files.home.path, "XDG_CONFIG_HOME": xdg.path], workDir: files.work.path)
        #expect(settings.onHangup.value == .string("stop"))
        #expect(settings.onHangup.source == .file(xdg.path + "/kode/config.toml", line: 2))
        let none = try files.load()
        #expect(none.files.isEmpty)
        #expect(none.onHangup.source == .defaultValue)
        #expect(none.theme.value == .string("dark"))
    }

    @Test("[sandbox] becomes a new agent's SandboxConfig")
    func sandbox() throws {
        let files = try ConfigFiles(user: """
            [sandbox]
            mode = "read-only"
            network = true
            writable_paths = ["/tmp/a", "/tmp/b"]
            require_confinement = true
            """)
        let sandbox = try files.load().sandbox
        #expect(sandbox == SandboxConfig(mode: .readOnly, network: true, writablePaths: ["/tmp/a", "/tmp/b"], requireConfinement: true))
        #expect(try ConfigFiles().load().sandbox == SandboxConfig())
    }

    @Test("[keys] takes any command name, with one key or several, each with its line")
    func keys() throws {
        let files = try ConfigFiles(user: "[keys]\napprove = [\"y\", \"Y\"]\ninterrupt = \"ctrl+x\"\n", project: "[keys]\ninterrupt = \"ctrl+g\"\n")
        let keys = try files.load().entries(in: "keys")
        #expect(keys.map(\.key) == ["approve", "interrupt"])
        #expect(keys[0].entry.value.strings == ["y", "Y"])
        #expect(keys[1].entry.value == .string("ctrl+g"))
        #expect(keys[1].entry.source == .file(files.work.path + "/.kode/config.toml", line: 2))
    }
}

@Suite("configuration: errors name the file, the line and the key")
struct ConfigErrorTests {
    @Test("an unknown key lists the known ones")
    func unknownKey() throws {
        let error = try #require(try ConfigFiles(user: "[app]\ntheme = \"dark\"\n\non_hangupp = \"stop\"\n").error())
        #expect(error.description == "~/.config/kode/config.toml:4: unknown key 'on_hangupp' in [app] (known: on_hangup, theme, mouse)")
        #expect(error.key == "app.on_hangupp")
    }

    @Test("an unknown table, and a setting outside any table, are errors")
    func unknownTableAndTopLevel() throws {
        let table = try #require(try ConfigFiles(project: "\n[agnet]\nmodel = \"x\"\n").error())
        #expect(table.line == 2)
        #expect(table.message.contains("unknown table [agnet]"))
        let top = try #require(try ConfigFiles(user: "on_hangup = \"stop\"\n").error())
        #expect(top.description.hasPrefix("~/.config/kode/config.toml:1: unknown key 'on_hangup' at the top level"))
        #expect(top.message.contains("did you mean 'on_hangup' in [app]?"))
    }

    @Test("a wrong type or value says what is expected")
    func wrongType() throws {
        let type = try #require(try ConfigFiles(user: "[agent]\nmax_steps = \"ten\"\n").error())
        #expect(type.description == "~/.config/kode/config.toml:2: 'max_steps' in [agent] must be an integer of at least 1, not \"ten\"")
        let range = try #require(try ConfigFiles(user: "[agent]\nmax_steps = -3\n").error())
        #expect(range.message.hasSuffix("must be an integer of at least 1, not -3"), "\(range.message)")
        let choice = try #require(try ConfigFiles(user: "[app]\non_hangup = \"later\"\n").error())
        #expect(choice.message.contains("must be one of \"detach\", \"stop\""))
        let list = try #require(try ConfigFiles(project: "[sandbox]\nwritable_paths = [\"/a\", 2]\n").error())
        #expect(list.line == 2)
        #expect(list.key == "sandbox.writable_paths")
        let flag = try #require(try ConfigFiles(user: "[sandbox]\n network = \"yes\"\n").error())
        #expect(flag.message.contains("must be true or false"))
    }

    @Test("a TOML syntax error carries TOMLKit's line")
    func syntax() throws {
        let error = try #require(try ConfigFiles(user: "[app]\ntheme = \"dark\"\non_hangup = stop\n").error())
        #expect(error.file == "~/.config/kode/config.toml")
        #expect(error.line == 3)
        #expect(error.key == nil)
    }

    @Test("a dotted key and an inline table are placed on their lines")
    func dottedAndInline() throws {
        let dotted = try #require(try ConfigFiles(user: "# x\napp.theme = \"dark\"\napp.color = 1\n").error())
        #expect(dotted.line == 3)
        #expect(dotted.key == "app.color")
        let inline = try #require(try ConfigFiles(user: "\n\nsandbox = { mode = \"full\", nope = 1 }\n").error())
        #expect(inline.line == 3)
        #expect(inline.key == "sandbox.nope")
    }
}
