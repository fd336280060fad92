import Foundation

/// `bash_run {cmd, timeout_ms?, background?, sandbox?, reason?}`: runs `/bin/bash -c cmd` in the
/// working directory, in its own process group, confined by the sandbox.
///
/// `sandbox: "network"` or `"full"` with a `reason` asks for more rights for this one command;
/// the agent then always asks a person first (see `escalation(for:)`).
///
/// In the foreground it waits for the command, kills the whole group on timeout or when the
/// calling task is cancelled (and then throws `CancellationError`), and returns stdout and stderr
/// interleaved, capped at `outputLimit` bytes with a visible notice, followed by the exit code.
/// Processes the command leaves running in its group are killed when it exits; use
/// `background: true` for servers and watchers, which returns a `shell_id` at once.
public struct BashRunTool: Tool {
    /// Timeout when `timeout_ms` is not given: two minutes.
    public static let defaultTimeoutMs = 120_000
    /// The largest `timeout_ms` accepted: ten minutes.
    public static let maxTimeoutMs = 600_000
    /// Output bytes returned; the rest is counted in `[output truncated: N more bytes]`.
    public static let outputLimit = 30_000

    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "bash_run" }
    public var description: String {
        "Run a bash command in the working directory. Returns combined stdout/stderr (capped) and the exit code. timeout_ms defaults to \(Self.defaultTimeoutMs) (max \(Self.maxTimeoutMs)). Set background to true for long-running processes; it returns a shell_id for bash_logs and bash_kill. Commands run in a sandbox (by default: writes only beneath the working directory and $TMPDIR, no network); if one truly needs more, ask with sandbox and a reason, which a person must approve."
    }
    public var isReadOnly: Bool { false }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "cmd": ["type": "string", "minLength": 1, "description": "The command line, run with /bin/bash -c."],
                "timeout_ms": ["type": "integer", "minimum": 1, "maximum": .int(Self.maxTimeoutMs), "description": "Kill the command after this many milliseconds."],
                "background": ["type": "boolean", "description": "Start it in the background and return a shell_id at once."],
                "sandbox": [
                    "type": "string", "enum": .array(SandboxWidening.allCases.map { .string($0.rawValue) }),
                    "description": "Only when the command needs more than the sandbox allows: \"network\" turns the network on, \"full\" runs it unconfined. Always needs a person's approval; give a reason.",
                ],
                "reason": ["type": "string", "minLength": 1, "description": "Why the command needs the wider sandbox (required with sandbox)."],
            ],
            "required": ["cmd"],
            "additionalProperties": false,
        ]
    }

    public func permissionSubject(for input: JSONValue) -> String? {
        input["cmd"]?.stringValue
    }

    public func escalation(for input: JSONValue) -> String? {
        guard let asked = input["sandbox"]?.stringValue else { return nil }
        let what = asked == SandboxWidening.network.rawValue ? "with the network on" : "outside the sandbox (unconfined)"
        let reason = input["reason"]?.stringValue ?? "no reason given"
        return "the command asks to run \(what): \(reason)"
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            let reader = ToolInputReader(input: input, tool: name)
            let command = try reader.string("cmd")
            let timeoutMs = try reader.optionalInt("timeout_ms") ?? Self.defaultTimeoutMs
            let background = try reader.optionalBool("background") ?? false
            let widening = try Self.widening(reader)
            guard (1...Self.maxTimeoutMs).contains(timeoutMs) else {
                throw ToolFailure("timeout_ms must be between 1 and \(Self.maxTimeoutMs), got \(timeoutMs)")
            }
            let sandbox = try ToolInputReader.workspace(context, tool: name)
            try sandbox.vet(command: command)
            try Task.checkCancellation()

            if background {
                let id = try sandbox.startBackgroundShell(command, widening: widening)
                let pid = try sandbox.backgroundShells.shell(id: id).pid
                return ToolOutput(content: "started background shell \(id) (pid \(pid)). Read its output with bash_logs {\"shell_id\": \"\(id)\"}; stop it with bash_kill.")
            }

            let process = try sandbox.startShell(command, outputLimit: Self.outputLimit, widening: widening)
            let seconds = Double(timeoutMs) / 1000
            process.terminate(after: seconds, reason: "timed out after \(Self.format(seconds: seconds))")
            await withTaskCancellationHandler {
                await process.waitUntilFinished()
            } onCancel: {
                process.terminate(reason: "interrupted")
            }
            try Task.checkCancellation()
            return Self.result(of: process)
        }
    }

    /// The model's view of a finished foreground command.
    static func result(of process: ShellProcess) -> ToolOutput {
        let taken = process.takeOutput(maxBytes: outputLimit)
        var text = taken.text
        if text.isEmpty { text = "(no output)" }
        if !text.hasSuffix("\n") { text += "\n" }
        let cut = taken.remaining + taken.droppedBefore
        if cut > 0 { text += "[output truncated: \(cut) more bytes]\n" }
        let status = process.status ?? .signaled(9)
        if let reason = process.stoppedBecause {
            text += "[\(reason); process group killed]\n"
        }
        text += "[exit code \(status.code)]"
        if status.code != 0, let note = process.sandboxNote, SandboxRefusal.appears(in: taken.text) {
            text += "\n" + note
        }
        return ToolOutput(content: text, isError: status.code != 0 || process.stoppedBecause != nil)
    }

    /// The `sandbox` field, which needs a `reason` beside it.
    private static func widening(_ reader: ToolInputReader) throws -> SandboxWidening? {
        guard let asked = try reader.optionalString("sandbox") else { return nil }
        guard let widening = SandboxWidening(rawValue: asked) else {
            throw ToolFailure("sandbox must be one of \(SandboxWidening.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(asked)\"")
        }
        guard let reason = try reader.optionalString("reason"), !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ToolFailure("sandbox: \"\(asked)\" needs a reason saying why the command needs it")
        }
        return widening
    }

    static func format(seconds: Double) -> String {
        seconds.rounded() == seconds ? "\(Int(seconds)) s" : String(format: "%.3g s", seconds)
    }
}
