import Foundation
import KodeTestSupport
import Testing

/// Issue 12 under a real terminal: `/model`, OSC 52 copy, edit-and-resend forks, approval after
/// a restart. The real `kode` binary in tmux.
@Suite(.serialized, .enabled(if: TmuxDriver.isAvailable, "tmux is not installed (scripts/test.sh installs it)"))
struct AppEndToEndTests {
    struct Session {
        let term: TmuxDriver
        let tmp: TemporaryDirectory
        let store: String
        let work: URL
        let scriptFile: URL

        init(script: String) throws {
            tmp = try TemporaryDirectory(prefix: "kode-e2e-app")
            work = tmp.appending("work")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            scriptFile = tmp.appending("script.json")
            try Data(script.utf8).write(to: scriptFile)
            store = tmp.appending("store").path
            term = try TmuxDriver(width: 130, height: 40, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": tmp.path])
        }

        func start(_ extra: String = "") throws {
            try term.type("'\(EndToEndTests.binary.path)' --provider scripted --script '\(scriptFile.path)' --store '\(store)' --workdir '\(work.path)' \(extra); echo EXIT:$?")
        }

        func quit() async throws {
            try term.keys("C-c")
            try term.keys("C-c")
            try await term.waitFor("EXIT:")
        }
    }

    @Test func modelSwitchAndCopyThroughOSC52() async throws {
        let s = try Session(script: #"{"turns":[{"text":"the answer is forty-two"},{"text":"second answer"}]}"#)
        defer { s.term.kill() }
        try s.term.setServerOption("set-clipboard", "on")
        try s.start()
        try await s.term.waitFor("Enter sends")
        try s.term.type("question")
        try await s.term.waitFor("the answer is forty-two")

        try s.term.type("/model bigger")
        try await s.term.waitFor("model → scripted/bigger")

        // y in the conversation copies the newest reply through OSC 52: tmux keeps it as a buffer.
        try s.term.keys("Tab")
        try s.term.keys("y")
        try await s.term.waitFor("copied 23 characters")
        #expect(s.term.pasteBuffer()?.trimmingCharacters(in: .newlines) == "the answer is forty-two")
        try await s.quit()
    }

    /// A configured MCP server that does not start is said inside the app (its warning used to
    /// go to stderr, under the full screen, and show only after the app exited).
    @Test func anMCPServerThatDoesNotStartIsShownInTheApp() async throws {
        let s = try Session(script: #"{"turns":[{"text":"fine"}]}"#)
        defer { s.term.kill() }
        try FileManager.default.createDirectory(at: s.work.appendingPathComponent(".kode"), withIntermediateDirectories: true)
        try "[mcp_servers.bad]\ncommand = \"no-such-mcp-program\"\n".write(to: s.work.appendingPathComponent(".kode/config.toml"), atomically: true, encoding: .utf8)
        try s.start()
        // The app's own screen first (it clears whatever was printed before it), then the warning.
        try await s.term.waitFor("Enter sends")
        try await s.term.waitFor("MCP server 'bad'")
        try await s.quit()
    }

    @Test func forkingAtAUserMessagePutsItInTheChildsComposer() async throws {
        let s = try Session(script: #"{"turns":[{"text":"first reply"},{"text":"second reply"}]}"#)
        defer { s.term.kill() }
        try s.start()
        try await s.term.waitFor("Enter sends")
        try s.term.type("hello there")
        try await s.term.waitFor("first reply")
        try s.term.type("tell me more")
        try await s.term.waitFor("second reply")
        // The tree: the agent row, then its checkpoints oldest first; the third is "tell me more".
        try s.term.keys("C-t")
        for _ in 0..<3 { try s.term.keys("j") }
        try await s.term.waitFor("tell me more")
        try s.term.keys("Enter")
        try await s.term.waitFor("and switch to the child?")
        try s.term.keys("y")
        let screen = try await s.term.waitFor("edit it and press Enter")
        let composer = screen.split(separator: "\n").drop { !$0.contains("Message") }.dropFirst().first ?? ""
        #expect(composer.contains("tell me more"), "the message is in the child's composer: \(composer)")
        try s.term.keys("Enter")
        try await s.term.waitFor("second reply")
        let agents = try EndToEndTests.agentsJSON(store: s.store)
        #expect(agents.count == 2)
        try await s.quit()
    }

    @Test func approvingARequestAfterARestartFinishesTheTurn() async throws {
        let s = try Session(script: #"{"turns":[{"text":"writing","tool_calls":[{"name":"fs_write","input":{"path":"a.txt","content":"hi"}}]},{"text":"done writing a.txt"}]}"#)
        defer { s.term.kill() }
        try s.start()
        try await s.term.waitFor("Enter sends")
        try s.term.type("please write a.txt")
        try await s.term.waitFor("Approval 1/1")
        // The process dies with the request pending (kill -9: nothing is closed or handed over).
        _ = try EndToEndTests.run("/bin/kill", ["-9", try EndToEndTests.appPid(in: s.term)])
        try await s.term.waitFor("EXIT:")
        try s.term.type("stty sane", enter: false)
        try s.term.keys("C-j")
        try s.term.type("clear", enter: false)
        try s.term.keys("C-j")
        let id = try #require(EndToEndTests.agentsJSON(store: s.store).first?["id"] as? String)

        try s.start("--agent \(id)")
        try await s.term.waitFor("Approval 1/1")
        try await Task.sleep(for: .milliseconds(400))  // past the activation guard
        try s.term.keys("y")
        let screen = try await s.term.waitFor("done writing a.txt")
        #expect(!screen.contains("Ctrl+R continues the turn"))
        #expect((try? String(contentsOf: s.work.appendingPathComponent("a.txt"), encoding: .utf8)) == "hi")
        try await s.quit()
    }

    @Test func switchingToANewAgentLeavesTheRunningOneRunning() async throws {
        let long = (1...40).map { "w\($0)" }.joined(separator: " ") + " END-OF-REPLY"
        let s = try Session(script: #"{"turns":[{"text":"\#(long)"},{"text":"hi from the new one"}],"chunk_size":3,"chunk_delay_ms":150}"#)
        defer { s.term.kill() }
        try s.start()
        try await s.term.waitFor("Enter sends")
        try s.term.type("go slowly")
        try await s.term.waitFor("WORKING")
        try s.term.type("/new")
        try await s.term.waitFor("new agent agt_")  // the switch's notice (the popup's help says "keeps running" too)
        // The agents view lists the agent left behind as running; switching back to it shows
        // its reply finished, not cut.
        try s.term.keys("C-o")
        func listed(_ screen: String) -> Substring? {
            screen.split(separator: "\n").first { $0.contains("go slowly") && ["running", "idle", "stored"].contains(where: $0.contains) }
        }
        let view = try await s.term.waitUntil(what: "the agents view's rows") { listed($0) != nil }
        let row = listed(view) ?? ""
        #expect(row.contains("running"), "the agent left behind is listed as running: \(row)")
        try s.term.type("go slowly", enter: false)
        try s.term.keys("Enter")
        let screen = try await s.term.waitFor("END-OF-REPLY")
        #expect(!screen.contains("interrupted"))
        try await s.quit()
    }
}
