import Foundation
import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

/// The real app in real terminals (tmux) with a real host process: hang-ups, reattaching, an
/// approval answered by whoever comes back, two terminals on one agent.
@Suite(.serialized, .enabled(if: TmuxDriver.isAvailable, "tmux is not installed (scripts/test.sh installs it)"))
struct HostEndToEndTests {
    /// A store, a work directory and a script, with the paths the commands need.
    struct Setup {
        let tmp: TemporaryDirectory
        var store: String { tmp.appending("store").path }
        var work: URL { tmp.appending("work") }
        let script: String
        var kode: String { EndToEndTests.binary.path }

        init(script json: String) throws {
            tmp = try TemporaryDirectory(prefix: "kode-host-e2e")
            try FileManager.default.createDirectory(at: tmp.appending("work"), withIntermediateDirectories: true)
            script = tmp.appending("script.json").path
            try Data(json.utf8).write(to: URL(fileURLWithPath: script))
        }

        func terminal() throws -> TmuxDriver {
            try TmuxDriver(width: 130, height: 40, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": tmp.path])
        }

        /// The app on a new agent that plays the script.
        func app(_ extra: String = "") -> String {
            "'\(kode)' --provider scripted --script '\(script)' --store '\(store)' --workdir '\(work.path)' \(extra); echo EXIT:$?"
        }

        func attach(_ id: String) -> String {
            "'\(kode)' attach \(id) --store '\(store)'; echo EXIT:$?"
        }

        /// The only agent in the store.
        /// A headless `kode run` of the script in approval mode (through the host when one runs).
        func runHeadless(prompt: String) throws -> (status: Int32, output: String) {
            try ChildProcess.run(kode, ["run", "--provider", "scripted", "--script", script, "--store", store, "--workdir", work.path, "--permission", "approval", "--prompt", prompt])
        }

        func agentId() throws -> String {
            let data = try ChildProcess.run(kode, ["agents", "--json", "--store", store]).output
            let rows = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [[String: Any]] ?? []
            return try #require(rows.first?["id"] as? String)
        }

        /// Lets the tool of the scripts below finish: it waits for this file.
        func release() throws {
            try Data().write(to: work.appendingPathComponent("go"))
        }

        func hostClient() -> RemoteAgentHub {
            RemoteAgentHub(socketPath: HostPaths(storeRoot: URL(fileURLWithPath: store).standardizedFileURL).socket)
        }
    }

    /// A tool that runs until the test lets it finish, then an answer that quotes it.
    static let waitingTool = """
        {"turns":[
          {"text":"starting the long job","tool_calls":[{"name":"bash_run","input":{"cmd":"while [ ! -f go ]; do sleep 0.05; done; echo job-output-42"}}]},
          {"text":"the job is finished"}
        ]}
        """

    /// Waits for the agent, in the host, to end its turn; returns its last message.
    func finalText(_ setup: Setup, _ id: String) async throws -> String {
        let agent = try await setup.hostClient().open(id, options: OpenOptions())
        try await within("the agent to be idle in the host") { try await agent.waitUntilIdle() }
        let text = try await agent.state().messages.last?.text ?? ""
        await agent.release(.leave)
        return text
    }

    @Test func aHangUpMidToolLeavesTheTurnRunningInTheHostAndReattachingShowsIt() async throws {
        let setup = try Setup(script: Self.waitingTool)
        let host = try await HostProcess(store: setup.store)
        do {
            let term = try setup.terminal()
            try term.type(setup.app("--permission auto"))
            try await term.waitFor("Enter sends")
            try term.type("run the long job")
            try await term.waitFor("starting the long job")
            // The terminal goes away while the tool runs: the app hangs up, the host goes on.
            term.kill()
        }
        let id = try setup.agentId()
        try setup.release()
        #expect(try await finalText(setup, id) == "the job is finished")
        let again = try setup.terminal()
        defer { again.kill() }
        try again.type(setup.attach(id))
        let screen = try await again.waitFor("the job is finished")
        #expect(screen.contains("job-output-42") || screen.contains("bash_run"))
        try again.keys("C-d")
        try await again.waitFor("EXIT:0")
        try await host.stop()
    }

    @Test func anApprovalAskedWhileNobodyWatchesIsAnsweredFromAReattachedApp() async throws {
        let setup = try Setup(script: """
            {"turns":[
              {"tool_calls":[{"name":"bash_run","input":{"cmd":"echo approved > approved.txt"}}]},
              {"text":"it ran after the approval"}
            ]}
            """)
        let host = try await HostProcess(store: setup.store)
        // Headless, no terminal to ask: the request stays pending in the host.
        let run = try setup.runHeadless(prompt: "go")
        #expect(run.status == 3, "\(run.output)")
        let id = try setup.agentId()
        let term = try setup.terminal()
        defer { term.kill() }
        try term.type(setup.attach(id))
        try await term.waitFor("Approval 1/1")
        try await Task.sleep(for: .milliseconds(400))  // past the modal's activation guard
        try term.keys("y")
        try await term.waitFor("it ran after the approval")
        #expect(FileManager.default.fileExists(atPath: setup.work.appendingPathComponent("approved.txt").path))
        try term.keys("C-d")
        try await term.waitFor("EXIT:0")
        try await host.stop()
    }

    @Test func twoAppsSeeOneStreamAndADecisionInOneClosesTheOthersModal() async throws {
        let setup = try Setup(script: """
            {"turns":[
              {"text":"hello from the host"},
              {"tool_calls":[{"name":"bash_run","input":{"cmd":"echo shared > shared.txt"}}]},
              {"text":"both terminals saw this"}
            ]}
            """)
        let host = try await HostProcess(store: setup.store)
        let first = try setup.runHeadless(prompt: "hi")
        #expect(first.status == 0, "\(first.output)")
        let id = try setup.agentId()
        let one = try setup.terminal()
        defer { one.kill() }
        let two = try setup.terminal()
        defer { two.kill() }
        try one.type(setup.attach(id))
        try two.type(setup.attach(id))
        try await one.waitFor("hello from the host")
        try await two.waitFor("hello from the host")
        try one.type("run the shared command")
        try await one.waitFor("Approval 1/1")
        try await two.waitFor("Approval 1/1")
        try await Task.sleep(for: .milliseconds(400))
        try two.keys("y")
        try await two.waitFor("both terminals saw this")
        let screen = try await one.waitUntil(what: "the first app's modal to close and the answer to show") {
            $0.contains("both terminals saw this") && !$0.contains("Approval 1/1")
        }
        #expect(screen.contains("run the shared command"))
        try one.keys("C-d")
        try two.keys("C-d")
        try await one.waitFor("EXIT:0")
        try await host.stop()
    }

    @Test func aHangUpWithNoHostStartsOneAndTheTurnCompletesThere() async throws {
        let setup = try Setup(script: Self.waitingTool)
        do {
            let term = try setup.terminal()
            try term.type(setup.app("--permission auto"))
            try await term.waitFor("Enter sends")
            try term.type("run the long job")
            try await term.waitFor("starting the long job")
            term.kill()
        }
        // The app, hung up, waits for its running tool before handing the agent over.
        try setup.release()
        let hub = setup.hostClient()
        let deadline = ContinuousClock.now + .seconds(120)
        while (try? await hub.connect()) == nil {
            #expect(ContinuousClock.now < deadline, "no host was started")
            if ContinuousClock.now >= deadline { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        let id = try setup.agentId()
        #expect(try await finalText(setup, id) == "the job is finished")
        let state = try await hub.state(of: id, at: nil).state
        #expect(state.toolCalls.values.allSatisfy { $0.state == .completed }, "the tool finished before the handover, it was not cut")
        await hub.disconnect()
        _ = try ChildProcess.run(setup.kode, ["serve", "--stop", "--store", setup.store])
    }
}
