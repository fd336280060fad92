import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// `kode config` on real files: HOME and XDG_CONFIG_HOME point into a temporary directory.
@Suite("kode config")
struct ConfigCommandTests {
    let home: TemporaryDirectory
    let work: TemporaryDirectory
    var environment: [String: String] { ["HOME": home.path, "XDG_CONFIG_HOME": home.path + "/xdg"] }

    init() throws {
        home = try TemporaryDirectory(prefix: "kode-cli-config-home")
        work = try TemporaryDirectory(prefix: "kode-cli-config-work")
    }

    func write(_ text: String, _ path: String, in directory: TemporaryDirectory) throws {
        let url = directory.appending(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("prints each value with its source, the project over the user over the default")
    func text() async throws {
        try write("[app]\ntheme = \"light\"\non_hangup = \"stop\"\n[keys]\napprove = [\"y\", \"Y\"]\n", "xdg/kode/config.toml", in: home)
        try write("[app]\ntheme = \"mono\"\n[sandbox]\nnetwork = true\n", ".kode/config.toml", in: work)
        let result = try await KodeCLI.run(["config", "--workdir", work.path], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let user = "~/xdg/kode/config.toml"  // under HOME, shown as ~/…
        let project = work.path + "/.kode/config.toml"
        #expect(result.stdout.contains("theme = \"mono\"  # \(project):2"), "\(result.stdout)")
        #expect(result.stdout.contains("on_hangup = \"stop\"  # \(user):3"), "\(result.stdout)")
        #expect(result.stdout.contains("network = true  # \(project):4"), "\(result.stdout)")
        #expect(result.stdout.contains("max_steps = 100  # default"), "\(result.stdout)")
        #expect(result.stdout.contains("approve = [\"y\", \"Y\"]  # \(user):5"), "\(result.stdout)")
        #expect(result.stdout.contains("# provider: not set"), "\(result.stdout)")
    }

    @Test("--json lists the files and every setting with file and line")
    func json() async throws {
        try write("[agent]\n\nmax_steps = 7\n", ".config/kode/config.toml", in: home)
        let result = try await KodeCLI.run(["config", "--json", "--workdir", work.path], environment: ["HOME": home.path, "XDG_CONFIG_HOME": ""])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONValue.parse(result.stdout)
        #expect(report["files"]?.arrayValue?.map(\.stringValue) == ["~/.config/kode/config.toml"])
        let rows = try #require(report["settings"]?.arrayValue)
        let steps = try #require(rows.first { $0["key"]?.stringValue == "agent.max_steps" })
        #expect(steps["value"]?.intValue == 7)
        #expect(steps["file"]?.stringValue == "~/.config/kode/config.toml")
        #expect(steps["line"]?.intValue == 3)
        let hangup = try #require(rows.first { $0["key"]?.stringValue == "app.on_hangup" })
        #expect(hangup["source"]?.stringValue == "default")
    }

    @Test("an unknown key exits 2 naming the file, the line and the key")
    func unknownKey() async throws {
        try write("[app]\ntheme = \"dark\"\non_hangupp = \"stop\"\n", "xdg/kode/config.toml", in: home)
        let result = try await KodeCLI.run(["config", "--workdir", work.path], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("~/xdg/kode/config.toml:3: unknown key 'on_hangupp' in [app] (known: on_hangup, theme, mouse)"), "\(result.stderr)")
    }

    @Test("a new agent takes [agent] and [sandbox] from the config, and flags override them")
    func agentDefaults() async throws {
        try write("[agent]\nprovider = \"demo\"\nmax_steps = 30\n[permissions]\nmode = \"readonly\"\n[sandbox]\nmode = \"read-only\"\nwritable_paths = [\"/tmp\"]\n", ".kode/config.toml", in: work)
        let store = work.path + "/store"
        let run = try await KodeCLI.run(["run", "--workdir", work.path, "--store", store, "--permission", "auto", "--prompt", "hello"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(run.agentId, "\(run.stderr)")
        let manifest = try String(contentsOfFile: "\(store)/agents/\(id)/manifest.json", encoding: .utf8)
        let config = try JSONValue.parse(manifest)["config"]
        #expect(config?["provider"]?["name"]?.stringValue == "demo", "\(manifest)")
        #expect(config?["maxSteps"]?.intValue == 30, "\(manifest)")
        #expect(config?["permission"]?["mode"]?.stringValue == "auto", "\(manifest)")
        #expect(config?["sandbox"]?["mode"]?.stringValue == "read-only", "\(manifest)")
        #expect(config?["sandbox"]?["writablePaths"]?.arrayValue?.map(\.stringValue) == ["/tmp"], "\(manifest)")
    }
}
