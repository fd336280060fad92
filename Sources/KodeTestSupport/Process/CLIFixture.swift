import Foundation
import KodeKernel

/// A temporary store and working directory for one CLI test, plus script files; removed with
/// the last copy of the fixture.
public struct CLIFixture {
    public let directory: TemporaryDirectory
    public var root: URL { directory.url }
    public var store: String { root.appendingPathComponent("store").path }
    public var workDir: String { root.appendingPathComponent("work").path }

    public init() throws {
        directory = try TemporaryDirectory(prefix: "kode-cli")
        try FileManager.default.createDirectory(atPath: root.appendingPathComponent("work").path, withIntermediateDirectories: true)
    }

    /// Writes a scripted-provider script and returns its path.
    public func script(_ json: String, name: String = "script.json") throws -> String {
        let path = root.appendingPathComponent(name).path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `kode run` on a script in this fixture.
    public func run(_ scriptPath: String, _ extra: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> KodeCLI.Result {
        try await KodeCLI.run(["run", "--store", store, "--workdir", workDir, "--provider", "scripted", "--script", scriptPath] + extra, stdin: stdin, environment: environment)
    }

    /// The stored event envelopes of an agent.
    public func events(_ agentId: String) async throws -> [EventEnvelope] {
        let result = try await KodeCLI.run(["events", agentId, "--json", "--store", store])
        let decoder = EventEnvelope.lineDecoder()
        return try result.lines.map { try decoder.decode(EventEnvelope.self, from: Data($0.utf8)) }
    }

    /// The exported conversation as JSON.
    public func export(_ agentId: String) async throws -> JSONValue {
        let result = try await KodeCLI.run(["export", agentId, "--json", "--store", store])
        return try JSONValue.parse(result.stdout)
    }
}
