import Foundation

/// Runs one of the example programs (`example-NAME`, built by `swift build`) as a child process.
public enum ExampleProgram {
    /// Runs `example-NAME args…` to completion (killing it after `timeout`).
    public static func run(_ name: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> KodeCLI.Result {
        try await start(name, arguments).finish(timeout: timeout)
    }

    /// Starts `example-NAME args…` and returns at once (for a server).
    public static func start(_ name: String, _ arguments: [String]) throws -> RunningProcess {
        try RunningProcess(executable: KodeCLI.binary(named: "example-\(name)"), arguments: arguments, stdin: nil, environment: [:])
    }
}
