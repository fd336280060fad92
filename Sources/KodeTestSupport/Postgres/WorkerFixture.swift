import Foundation
import KodeKernel
import KodePostgres

/// What the worker tests share: a schema's URL, a working directory for the agents' tools, a
/// scripted model's script, private worker directories (several workers on one machine, as if
/// on machines of their own) and a store opened by the test itself to look at the database.
public struct WorkerFixture {
    public let url: String
    public let temporary: TemporaryDirectory
    /// The agents' working directory (their tools' effects land here).
    public let workDir: String

    public init(url: String) throws {
        self.url = url
        temporary = try TemporaryDirectory(prefix: "kode-pg-workers")
        workDir = temporary.url.appendingPathComponent("w").path
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
    }

    /// Writes a scripted model's script and returns its path.
    public func script(_ json: String) throws -> String {
        let path = temporary.url.appendingPathComponent("script-\(UUID().uuidString.prefix(8)).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A directory no worker uses: a command given it finds no worker on this machine and has
    /// only the database URL.
    public func workerDirectory(_ name: String) throws -> String {
        let path = temporary.url.appendingPathComponent("workers-" + name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Starts a worker with a directory of its own.
    public func worker(_ name: String) async throws -> WorkerProcess {
        try await WorkerProcess(url: url, workerDirectory: try workerDirectory(name))
    }

    /// A pending approval on `worker`: `kode run` of a script whose first turn calls one tool
    /// that needs approval, through that worker; it stops (exit 3) with the call pending, the
    /// agent kept open by its owner. Returns the agent and the pending call.
    public func runToApproval(on worker: WorkerProcess, script json: String) async throws -> (id: AgentID, callId: String) {
        let run = try await KodeCLI.run(["run", "--workdir", workDir, "--provider", "scripted", "--script", try script(json), "--prompt", "go", "--permission", "approval"],
                                        environment: worker.clientEnvironment)
        guard run.status == 3, let id = run.agentId,
              let callId = run.lines.first(where: { $0.hasPrefix("pending ") }).map({ String($0.dropFirst("pending ".count)) })
        else { throw TestTimeout(what: "the run to stop at an approval (exit \(run.status)): \(run.stderr)") }
        return (id, callId)
    }

    /// The text `workDir/name` holds ("" when missing).
    public func file(_ name: String) -> String {
        (try? String(contentsOfFile: workDir + "/" + name, encoding: .utf8)) ?? ""
    }

    /// The agent's state as stored.
    public func storedState(_ id: AgentID, in store: PostgresStore) async throws -> AgentState {
        try AgentState.rebuild(from: try await store.history(of: id))
    }

    /// The pid of the worker process that owns `id` now, per the database (nil: nobody).
    public func ownerPID(_ id: AgentID) async throws -> Int32? {
        let rows = try await TestPostgres.strings(
            "SELECT w.pid::text FROM \(schema).agents a JOIN \(schema).workers w ON w.id = a.owner WHERE a.id = '\(id)'", on: url)
        return rows.first.flatMap { $0.flatMap { Int32($0) } }
    }

    /// The schema of `url`.
    public var schema: String {
        URLComponents(string: url)?.queryItems?.first { $0.name == "schema" }?.value ?? "kode"
    }

}
