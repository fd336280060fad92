import Foundation

/// `bash_run {cmd, timeout_ms?, background?}`: runs `/bin/bash -c cmd` in the working directory,
/// in its own process group.
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
        "Run a bash command in the working directory. Returns combined stdout/stderr (capped) and the exit code. timeout_ms defaults to \(Self.defaultTimeoutMs) (max \(Self.maxTimeoutMs)). Set background to true for long-running processes; it returns a shell_id for bash_logs and bash_kill."
    }
    public var isReadOnly: Bool { false }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "cmd": ["type": "string", "minLength": 1, "description": "The command line, run with /bin/bash -c."],
                "timeout_ms": ["type": "integer", "minimum": 1, "maximum": .int(Self.maxTimeoutMs), "description": "Kill the command after this many milliseconds."],
                "background": ["type": "boolean", "description": "Start it in the background and return a shell_id at once."],
            ],
            "required": ["cmd"],
            "additionalProperties": false,
        ]
    }

    public func permissionSubject(for input: JSONValue) -> String? {
        input["cmd"]?.stringValue
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            let reader = ToolInputReader(input: input, tool: name)
            let command = try reader.string("cmd")
            let timeoutMs = try reader.optionalInt("timeout_ms") ?? Self.defaultTimeoutMs
            let background = try reader.optionalBool("background") ?? false
            guard (1...Self.maxTimeoutMs).contains(timeoutMs) else {
                throw ToolFailure("timeout_ms must be between 1 and \(Self.maxTimeoutMs), got \(timeoutMs)")
            }
            let sandbox = try ToolInputReader.workspace(context, tool: name)
            try sandbox.vet(command: command)
            try Task.checkCancellation()

            if background {
                let id = try sandbox.startBackgroundShell(command)
                let pid = try sandbox.backgroundShells.shell(id: id).pid
                return ToolOutput(content: "started background shell \(id) (pid \(pid)). Read its output with bash_logs {\"shell_id\": \"\(id)\"}; stop it with bash_kill.")
            }

            let process = try sandbox.startShell(command, outputLimit: Self.outputLimit)
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
        return ToolOutput(content: text, isError: status.code != 0 || process.stoppedBecause != nil)
    }

    static func format(seconds: Double) -> String {
        seconds.rounded() == seconds ? "\(Int(seconds)) s" : String(format: "%.3g s", seconds)
    }
}
