import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Store commands")
struct StoreCommandsTests {
    @Test("agents, checkpoints, fork and export print the documented JSON")
    func jsonShapes() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"thinking":"hm","text":"looking","tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"done"},{"text":"second answer"}]}"#)
        let run = try await f.run(script, ["--prompt", "hello"])
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(run.agentId)

        let checkpoints = try JSONValue.parse(try await KodeCLI.run(["checkpoints", id, "--json", "--store", f.store]).stdout).arrayValue ?? []
        #expect(checkpoints.count == 3)
        for key in ["id", "seq", "label", "time", "preview"] { #expect(checkpoints.first?[key] != nil, "checkpoint lacks \(key)") }
        let firstId = try #require(checkpoints.first?["id"]?.stringValue)

        let fork = try await KodeCLI.run(["fork", id, "--at", firstId, "--json", "--store", f.store])
        #expect(fork.status == 0, "\(fork.stderr)")
        let forked = try JSONValue.parse(fork.stdout)
        let child = try #require(forked["id"]?.stringValue)
        #expect(forked["parent"]?["agentId"]?.stringValue == id)
        #expect(forked["parent"]?["seq"]?.intValue == checkpoints.first?["seq"]?.intValue)

        let agents = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
        #expect(agents.count == 2)
        let childRow = try #require(agents.first { $0["id"]?.stringValue == child })
        #expect(childRow["parent"]?["agentId"]?.stringValue == id)
        #expect(agents.first { $0["id"]?.stringValue == id }?["parent"] == .null)
        for key in ["id", "created", "state", "breakpoint", "messages", "parent"] { #expect(childRow[key] != nil) }

        let exported = try await f.export(id)
        let messages = try #require(exported["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user", "assistant"])
        let blocks = messages[1]["content"]?.arrayValue ?? []
        #expect(blocks.map { $0["type"]?.stringValue } == ["thinking", "text", "tool_use"])
        #expect(blocks[2]["name"]?.stringValue == "fs_glob")
        let result = messages[2]["content"]?.arrayValue?.first
        #expect(result?["type"]?.stringValue == "tool_result")
        #expect(result?["tool_use_id"]?.stringValue == "toolu_0_0")
        #expect(result?["is_error"] == .bool(false))

        // The child continues on its own from the fork point.
        let childRun = try await KodeCLI.run(["run", "--agent", child, "--prompt", "another question", "--store", f.store])
        #expect(childRun.status == 0, "\(childRun.stderr)")

        let refused = try await KodeCLI.run(["rm", id, "--store", f.store])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("has forks"))
        #expect(try await KodeCLI.run(["rm", child, "--store", f.store]).status == 0)
        #expect(try await KodeCLI.run(["rm", id, "--store", f.store]).status == 0)
    }

    @Test("events filters by --since and --kinds, and --follow tails a running agent from another process")
    func eventsCommand() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"text":"a fairly long streamed answer to watch"}],"chunk_size":2,"chunk_delay_ms":40}"#)
        let running = try KodeCLI.start(["run", "--store", f.store, "--workdir", f.workDir, "--provider", "scripted", "--script", script, "--prompt", "go"])
        // Wait for the agent to exist, then follow it.
        var agentId: String?
        for _ in 0..<200 {
            let list = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
            if let id = list.first?["id"]?.stringValue { agentId = id; break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let id = try #require(agentId)
        let follower = try KodeCLI.start(["events", id, "--follow", "--json", "--kinds", "text_chunk,done", "--store", f.store])
        let finished = try await running.finish()
        #expect(finished.status == 0)
        // The follower has shown the whole turn once its `done` line is out.
        try await follower.waitForOutput(#""type":"done""#)
        follower.signal(SIGTERM)
        let followed = try await follower.finish()
        let decoder = EventEnvelope.lineDecoder()
        let envelopes = try followed.lines.map { try decoder.decode(EventEnvelope.self, from: Data($0.utf8)) }
        #expect(envelopes.last?.event.type == .done)
        #expect(Set(envelopes.map(\.event.type)) == [.textChunk, .done])
        let text = envelopes.compactMap { if case .textChunk(let c) = $0.event { return c.delta } else { return nil } }.joined()
        #expect(text == "a fairly long streamed answer to watch")

        let all = try await f.events(id)
        let middle = all[all.count / 2].seq
        let since = try await KodeCLI.run(["events", id, "--json", "--since", String(middle), "--store", f.store])
        let sinceSeqs = try since.lines.map { try decoder.decode(EventEnvelope.self, from: Data($0.utf8)).seq }
        #expect(sinceSeqs == all.map(\.seq).filter { $0 > middle })
    }

    @Test("a second writer gets a lock error naming the holder; readers still work")
    func secondWriter() async throws {
        let f = try CLIFixture()
        // A slow tool keeps the first writer busy (and its lock held) until it is interrupted.
        let slow = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"sleep 60"}}]},{"text":"ok"}]}"#, name: "slow.json")
        let running = try KodeCLI.start(["run", "--store", f.store, "--workdir", f.workDir, "--provider", "scripted", "--script", slow, "--permission", "auto", "--prompt", "go"])
        var agentId: String?
        for _ in 0..<200 {
            let list = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
            if let id = list.first?["id"]?.stringValue { agentId = id; break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let id = try #require(agentId)
        let second = try await KodeCLI.run(["run", "--agent", id, "--prompt", "me too", "--store", f.store])
        #expect(second.status == 1)
        #expect(second.stderr.contains("locked by another process"))
        #expect(second.stderr.contains("pid \(running.pid)"))
        let listing = try await KodeCLI.run(["agents", "--store", f.store])
        #expect(listing.status == 0)
        running.signal(SIGINT)
        let first = try await running.finish(timeout: .seconds(30))
        #expect(first.status == 130, "Ctrl+C interrupts the turn: \(first.stderr)")
        // The interrupt answered the cut call, so the agent opens cleanly afterwards.
        let after = try await KodeCLI.run(["run", "--agent", id, "--prompt", "again", "--store", f.store])
        #expect(after.status == 0, "\(after.stderr)")
    }

    @Test("API keys in the environment never reach the store")
    func noKeysInStore() async throws {
        let f = try CLIFixture()
        let sentinel = "sk-ant-SENTINEL-\(UUID().uuidString)"
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo checking"}}]},{"text":"ok"}]}"#)
        let env = ["ANTHROPIC_API_KEY": sentinel, "OPENAI_API_KEY": sentinel, "GEMINI_API_KEY": sentinel]
        let result = try await f.run(script, ["--prompt", "hello", "--permission", "auto"], environment: env)
        #expect(result.status == 0)
        #expect(!result.stdout.contains(sentinel) && !result.stderr.contains(sentinel))
        let files = FileManager.default.enumerator(atPath: f.store)?.compactMap { $0 as? String } ?? []
        #expect(!files.isEmpty)
        for file in files {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: f.store + "/" + file))) ?? Data()
            #expect(data.range(of: Data(sentinel.utf8)) == nil, "\(file) contains the key")
        }
    }
}
