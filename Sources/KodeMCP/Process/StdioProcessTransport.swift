import Foundation
import Logging
import MCP

/// The SDK's `Transport` over a server process Kode starts: connecting starts the process,
/// disconnecting stops it.
actor StdioProcessTransport: Transport {
    nonisolated let logger: Logger
    private let command: String
    private let arguments: [String]
    private let environment: [String: String]
    private let workDir: URL?
    private let onStderr: @Sendable (String) -> Void
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private(set) var process: ServerProcess?

    init(command: String, arguments: [String], environment: [String: String], workDir: URL?, logger: Logger,
         onStderr: @escaping @Sendable (String) -> Void) {
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.workDir = workDir
        self.logger = logger
        self.onStderr = onStderr
        (messages, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
    }

    func connect() async throws {
        guard process == nil else { return }
        process = try ServerProcess(
            command: command, arguments: arguments, environment: environment, workDir: workDir,
            messages: continuation, onStderr: onStderr)
    }

    func disconnect() async {
        await process?.stop()
        continuation.finish(throwing: MCPTransportError.closed)
    }

    func send(_ data: Data) async throws {
        guard let process else { throw MCPTransportError.closed }
        try await process.send(data)
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, any Error> { messages }
}
