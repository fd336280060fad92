import Foundation
import KodeTestSupport
import Testing

/// The real `kode` binary in a real terminal (tmux), on the scripted model in a temporary store.
/// Skipped only when tmux is not installed (`scripts/test.sh` installs it, so CI never skips).
@Suite(.serialized, .enabled(if: TmuxDriver.isAvailable, "tmux is not installed (scripts/test.sh installs it)"))
struct EndToEndTests {
    static let binary: URL = {
        // The test bundle sits next to the built products (.build/<config>/).
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("kode").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("kode")
    }()

    static let script = """
        {"turns":[
          {"text":"I will write a.txt now.","tool_calls":[{"name":"fs_write","input":{"path":"a.txt","content":"hi"}}]},
          {"text":"done writing a.txt"},
          {"text":"Next I want b.txt.","tool_calls":[{"name":"fs_write","input":{"path":"b.txt","content":"no"}}]},
          {"text":"ok, b.txt was refused"}
        ]}
        """

    @Test func approveDenyForkResizeAndQuit() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the kode binary first (swift build)")
        let app = try await AppUnderTmux.launch(script: Self.script, width: 120, height: 36)
        let (term, work, store) = (app.term, app.work, app.store)
        // The app's directories go with `app`: it lives to the end of the test.
        defer { term.kill(); withExtendedLifetime(app) {} }

        // Approve with y: the write happens and the turn finishes.
        try term.type("please write a.txt")
        try await term.waitFor("Approval 1/1")
        try await Task.sleep(for: .milliseconds(400))  // past the activation guard
        try term.keys("y")
        try await term.waitFor("done writing a.txt")
        #expect((try? String(contentsOf: work.appendingPathComponent("a.txt"), encoding: .utf8)) == "hi")

        // Deny with n and an empty note: nothing is written.
        try term.type("now b.txt")
        try await term.waitFor("Approval 1/1")
        try await Task.sleep(for: .milliseconds(400))
        try term.keys("n")
        try await term.waitFor("Deny with a note")
        try term.keys("Enter")
        try await term.waitFor("ok, b.txt was refused")
        let screen = try term.capture()
        #expect(screen.contains("denied by user"))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("b.txt").path))

        // Fork from the checkpoint tree (agent row: its latest safe point), confirm with y.
        // No wait between the keys: the app handles them in the order they arrive.
        try term.keys("C-t")
        try term.keys("Enter")
        try await term.waitFor("and switch to the child?")
        try term.keys("y")
        try await term.waitFor("forked from")
        let agents = try Self.agentsJSON(store: store)
        #expect(agents.count == 2)
        let child = agents.first { $0["parent"] is [String: Any] }
        let parentRef = child?["parent"] as? [String: Any]
        let root = agents.first { !($0["parent"] is [String: Any]) }
        #expect(parentRef?["agentId"] as? String == root?["id"] as? String)

        // Resize: the layout switches to tabs and nothing is wider than the window.
        try term.resize(width: 70, height: 24)
        let narrow = try await term.waitFor("Tab switches")
        for line in narrow.split(separator: "\n") { #expect(line.count <= 70, "line wider than 70: \(line)") }
        try term.resize(width: 130, height: 40)
        try await term.waitFor("Checkpoints (Ctrl+T)")

        // Ctrl+C twice quits with status 0 and gives the terminal back.
        try term.keys("C-c")
        try await term.waitFor("again within 1.5 s")
        try term.keys("C-c")
        try await term.waitFor("EXIT:0")
        #expect(try term.format("#{alternate_on}") == "0")
    }

    @Test func hangUpClosesTheAgentAndKeepsItsLog() async throws {
        let (term, tmp, store) = try await Self.launch(width: 100, height: 30)
        defer { term.kill() }
        defer { _ = tmp }
        try term.type("please write a.txt")
        try await term.waitFor("Approval 1/1")
        // SIGHUP (an SSH drop): the app exits, the pending approval survives in the log.
        _ = try Self.run("/bin/kill", ["-HUP", try Self.appPid(in: term)])
        try await term.waitFor("EXIT:129")
        #expect(try term.format("#{alternate_on}") == "0")
        let agents = try Self.agentsJSON(store: store)
        #expect(agents.first?["breakpoint"] as? String == "AWAITING_APPROVAL")
    }

    @Test func ctrlZSuspendsToTheShellAndFgRestores() async throws {
        let (term, tmp, _) = try await Self.launch(width: 100, height: 30)
        defer { term.kill() }
        defer { _ = tmp }
        try term.keys("C-z")
        try await term.waitFor("Stopped")
        #expect(try term.format("#{alternate_on}") == "0")
        try term.type("fg")
        try await term.waitFor("Enter sends")
        try term.type("still here", enter: false)
        try await term.waitFor("still here")
        try term.keys("C-c")
        try term.keys("C-c")
        try await term.waitUntil(what: "the shell prompt") { $0.contains("Stopped") && !$0.contains("Enter sends") }
        #expect(try term.format("#{alternate_on}") == "0")
    }

    @Test func resizeStormLeavesACleanLayout() async throws {
        let (term, tmp, _) = try await Self.launch(width: 120, height: 36)
        defer { term.kill() }
        defer { _ = tmp }
        // Thirty resizes as fast as tmux takes them, across all three layouts, ending wide.
        let sizes = [(50, 20), (90, 30), (140, 45), (60, 18), (110, 33), (45, 40)]
        for round in 0..<30 {
            let (w, h) = sizes[round % sizes.count]
            try term.resize(width: w, height: h)
        }
        try term.resize(width: 130, height: 40)
        // The frame for the last size, whole: its tree pane and its status line (a capture can
        // land between the two while the app is still drawing it).
        let screen = try await term.waitUntil(what: "the layout for 130×40 with its status line") {
            $0.contains("Checkpoints (Ctrl+T)") && $0.contains("? help")
        }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("┌") == true, "the top border is intact after the storm")
        for line in lines { #expect(line.count <= 130, "line wider than the window: \(line)") }
        try term.keys("C-c")
        try term.keys("C-c")
        try await term.waitFor("EXIT:0")
    }

    @Test func aCrashSignalGivesTheTerminalBackAndKeepsTheLog() async throws {
        let (term, tmp, store) = try await Self.launch(width: 100, height: 30)
        defer { term.kill() }
        defer { _ = tmp }
        try term.type("please write a.txt")
        try await term.waitFor("Approval 1/1")
        #expect(try term.format("#{alternate_on}") == "1")
        _ = try Self.run("/bin/kill", ["-SEGV", try Self.appPid(in: term)])
        try await term.waitFor("EXIT:139")
        #expect(try term.format("#{alternate_on}") == "0", "the alternate screen was left")
        // The durable state is intact: the approval is still pending in the log.
        let agents = try Self.agentsJSON(store: store)
        #expect(agents.first?["breakpoint"] as? String == "AWAITING_APPROVAL")
    }

    /// A scripted `kode` in a fresh tmux window, ready for input. The app's exit status is echoed
    /// as `EXIT:<status>` when it ends.
    static func launch(width: Int, height: Int) async throws -> (term: TmuxDriver, dir: TemporaryDirectory, store: String) {
        let app = try await AppUnderTmux.launch(script: Self.script, width: width, height: height, workInRoot: true)
        return (app.term, app.dir, app.store)
    }

    /// The pid of the app running in the window's shell.
    static func appPid(in term: TmuxDriver) throws -> String {
        let shell = try term.format("#{pane_pid}")
        return try Self.run("/usr/bin/pgrep", ["-P", shell]).split(separator: "\n").first.map(String.init) ?? ""
    }

    static func agentsJSON(store: String) throws -> [[String: Any]] {
        let out = try run(binary.path, ["agents", "--json", "--store", store])
        return (try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]) ?? []
    }

    static func run(_ exe: String, _ args: [String]) throws -> String {
        try ChildProcess.run(exe, args).output
    }
}
