import Foundation
import KodeKernel
import Testing

/// One round of the crash suites: the real `kode run` plays a scripted scenario with a fault
/// injected (`KODE_FAULT_KILL_AT_BREAKPOINT`, `KODE_FAULT_KILL_AT_SYNC`: the process kills itself
/// there), then the stored agent is resumed with `--continue` — or given its prompt again when
/// the crash came before the prompt was durable — and checked: the resumed run succeeds,
/// ``CrashInvariants`` hold against what the killed process had printed, the agent finished its
/// script, and its latest checkpoint can be forked.
public struct CrashAndResume {
    /// The scripted provider's JSON.
    public var script: String
    /// The prompt of the first run (and of the second, when the first never stored it).
    public var prompt: String
    /// `kode run` options of both runs besides the store, the agent and `--json` (`--approve all`).
    public var options: [String]
    /// The text the agent's last message ends with once its script is played.
    public var finalText: String

    public init(script: String, prompt: String, options: [String] = [], finalText: String) {
        self.script = script
        self.prompt = prompt
        self.options = options
        self.finalText = finalText
    }

    /// What a round left for a suite's own checks.
    public struct Outcome {
        /// False when the fault never fired: the run finished normally (and succeeded).
        public var fired: Bool
        /// The crashed and resumed agent; nil when the process died before it existed.
        public var agentId: String?
        /// The child forked at the agent's latest checkpoint.
        public var forkedChild: String?
    }

    /// Plays one round in `fixture` with `fault` added to `environment` for the first run;
    /// `context` names the round in every failure.
    public func run(
        in fixture: CLIFixture, fault: [String: String], environment: [String: String] = [:], context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Outcome {
        let f = fixture
        let scriptPath = try f.script(script)
        let crashed = try await f.run(scriptPath, ["--json"] + options + ["--prompt", prompt], environment: environment.merging(fault) { $1 })
        if !crashed.killed {
            #expect(crashed.status == 0, "\(crashed.stderr)", sourceLocation: sourceLocation)
            return Outcome(fired: false)
        }
        let agents = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
        guard let id = agents.first?["id"]?.stringValue else { return Outcome(fired: true) }
        var resumed = try await KodeCLI.run(["run", "--agent", id] + options + ["--json", "--continue", "--store", f.store], environment: environment)
        if (try await f.export(id)["messages"]?.arrayValue ?? []).isEmpty {
            resumed = try await KodeCLI.run(["run", "--agent", id] + options + ["--json", "--prompt", prompt, "--store", f.store], environment: environment)
        }
        #expect(resumed.status == 0, "resume failed (\(context)): \(resumed.stderr)", sourceLocation: sourceLocation)
        try await CrashInvariants(fixture: f, agentId: id).check(acknowledged: crashed.envelopes, context: context)
        let messages = try await f.export(id)["messages"]?.arrayValue ?? []
        #expect(messages.last?["content"]?.arrayValue?.last?["text"]?.stringValue == finalText,
                "the resumed agent did not finish its script (\(context))", sourceLocation: sourceLocation)
        let fork = try await KodeCLI.run(["fork", id, "--at", "latest", "--store", f.store])
        #expect(fork.status == 0, "no checkpoint to fork from (\(context)): \(fork.stderr)", sourceLocation: sourceLocation)
        let child = fork.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return Outcome(fired: true, agentId: id, forkedChild: fork.status == 0 ? child : nil)
    }
}
