import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// The crash scenario of the file store's crash suite, on PostgreSQL: `kode run` killed as it
/// enters each breakpoint, resumed with `--continue`; every tool call has one result, no effect
/// runs twice, the script finishes and the agent can be forked.
@Suite(.serialized) struct PostgresCrashTests {
    static let script = #"""
        {"turns":[
          {"text":"step one","tool_calls":[{"name":"bash_run","input":{"cmd":"echo s0 >> effects.txt"}},{"name":"fs_glob","input":{"pattern":"*"}}]},
          {"thinking":"next","tool_calls":[{"name":"bash_run","input":{"cmd":"echo s1 >> effects.txt"}}]},
          {"text":"finished"}]}
        """#

    /// Every breakpoint a plain turn enters (`COMPACTING` comes only with a compaction: its crash
    /// suite is CompactionCrashTests, on the file store).
    @Test(arguments: Breakpoint.allCases.filter { $0 != .compacting })
    func killedEnteringABreakpointResumesIntact(_ breakpoint: Breakpoint) async throws {
        try await TestPostgres.withSchema { url in
            let work = try TemporaryDirectory(prefix: "kode-pg-crash")
            // A folder inside the temporary one: a fork may put a workspace copy beside its parent's.
            let workDir = work.url.appendingPathComponent("w")
            try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
            let script = work.url.appendingPathComponent("script.json").path
            try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
            let crashed = try await KodeCLI.run(
                ["run", "--store", url, "--workdir", workDir.path, "--provider", "scripted", "--script", script, "--json", "--approve", "all", "--prompt", "go"],
                environment: ["KODE_FAULT_KILL_AT_BREAKPOINT": "\(breakpoint.rawValue):1"])
            #expect(crashed.killed, "the run was not killed entering \(breakpoint.rawValue): \(crashed.stderr)")
            let agents = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", url]).stdout).arrayValue ?? []
            let id = try #require(agents.first?["id"]?.stringValue)
            var resumed = try await KodeCLI.run(["run", "--agent", id, "--approve", "all", "--json", "--continue", "--store", url])
            if try await messages(id, url).isEmpty {
                // Killed before the prompt was durable: nothing to continue, the prompt is sent again.
                resumed = try await KodeCLI.run(["run", "--agent", id, "--approve", "all", "--json", "--prompt", "go", "--store", url])
            }
            #expect(resumed.status == 0, "resume after a kill entering \(breakpoint.rawValue) failed: \(resumed.stderr)")
            let conversation = try await messages(id, url)
            var uses: [String] = [], results: [String] = []
            for message in conversation {
                for block in message["content"]?.arrayValue ?? [] {
                    if let use = block["id"]?.stringValue, block["type"]?.stringValue == "tool_use" { uses.append(use) }
                    if let result = block["tool_use_id"]?.stringValue { results.append(result) }
                }
            }
            #expect(uses.sorted() == results.sorted() && Set(results).count == results.count, "tool calls \(uses) and results \(results) after \(breakpoint.rawValue)")
            #expect(conversation.last?["content"]?.arrayValue?.last?["text"]?.stringValue == "finished", "the resumed agent did not finish (\(breakpoint.rawValue))")
            let effects = ((try? String(contentsOfFile: workDir.appendingPathComponent("effects.txt").path, encoding: .utf8)) ?? "").split(separator: "\n")
            #expect(effects.count == Set(effects).count, "an effect ran twice after \(breakpoint.rawValue): \(effects)")
            let fork = try await KodeCLI.run(["fork", id, "--at", "latest", "--store", url])
            #expect(fork.status == 0, "no checkpoint to fork from after \(breakpoint.rawValue): \(fork.stderr)")
        }
    }

    private func messages(_ id: String, _ url: String) async throws -> [JSONValue] {
        let export = try await KodeCLI.run(["export", id, "--json", "--store", url])
        return try JSONValue.parse(export.stdout)["messages"]?.arrayValue ?? []
    }
}

/// Killed just before and just after every durable commit of the same scenario.
@Suite(.serialized) struct PostgresCommitCrashTests {
    @Test(arguments: ["before", "after"])
    func killedAroundEveryCommitResumesIntact(_ moment: String) async throws {
        var n = 1
        while n <= 200 {
            let fired = try await TestPostgres.withSchema { url -> Bool in
                let work = try TemporaryDirectory(prefix: "kode-pg-commit-crash")
                // A folder inside the temporary one: a fork may put a workspace copy beside its parent's.
                let workDir = work.url.appendingPathComponent("w")
                try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
                let script = work.url.appendingPathComponent("script.json").path
                try PostgresCrashTests.script.write(toFile: script, atomically: true, encoding: .utf8)
                let crashed = try await KodeCLI.run(
                    ["run", "--store", url, "--workdir", workDir.path, "--provider", "scripted", "--script", script, "--json", "--approve", "all", "--prompt", "go"],
                    environment: ["KODE_FAULT_KILL_AT_COMMIT": "\(n):\(moment)"])
                guard crashed.killed else {
                    #expect(crashed.status == 0, "\(crashed.stderr)")
                    return false
                }
                let agents = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", url]).stdout).arrayValue ?? []
                guard let id = agents.first?["id"]?.stringValue else { return true }
                var resumed = try await KodeCLI.run(["run", "--agent", id, "--approve", "all", "--json", "--continue", "--store", url])
                let export = { try JSONValue.parse(try await KodeCLI.run(["export", id, "--json", "--store", url]).stdout)["messages"]?.arrayValue ?? [] }
                if try await export().isEmpty {
                    resumed = try await KodeCLI.run(["run", "--agent", id, "--approve", "all", "--json", "--prompt", "go", "--store", url])
                }
                #expect(resumed.status == 0, "resume after a kill \(moment) commit \(n) failed: \(resumed.stderr)")
                let conversation = try await export()
                var uses: [String] = [], results: [String] = []
                for message in conversation {
                    for block in message["content"]?.arrayValue ?? [] {
                        if let use = block["id"]?.stringValue, block["type"]?.stringValue == "tool_use" { uses.append(use) }
                        if let result = block["tool_use_id"]?.stringValue { results.append(result) }
                    }
                }
                #expect(uses.sorted() == results.sorted(), "tool calls \(uses), results \(results) after a kill \(moment) commit \(n)")
                #expect(conversation.last?["content"]?.arrayValue?.last?["text"]?.stringValue == "finished", "not finished after a kill \(moment) commit \(n)")
                let effects = ((try? String(contentsOfFile: workDir.appendingPathComponent("effects.txt").path, encoding: .utf8)) ?? "").split(separator: "\n")
                #expect(effects.count == Set(effects).count, "an effect ran twice after a kill \(moment) commit \(n): \(effects)")
                return true
            }
            if !fired { break }
            n += 1
        }
        #expect(n > 5, "the scenario should commit durably several times, saw \(n - 1)")
    }
}
