import Foundation
import KodeKernel

/// A file store and a work directory side by side in a temporary directory, for workspace tests:
/// agents on a scripted model whose snapshots go to a real blob store.
public struct WorkspaceFixture: Sendable {
    public let directory: TemporaryDirectory
    public let store: FileStore
    public var root: URL { directory.url }
    public var workDir: URL { directory.url.appendingPathComponent("work") }

    public init() throws {
        directory = try TemporaryDirectory(prefix: "kode-ws")
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("work"), withIntermediateDirectories: true)
        store = try FileStore(root: directory.url.appendingPathComponent("store"))
    }

    /// A new agent in `workDir` (or `directory`) whose model plays `script`.
    public func agent(script: String, workDir directory: URL? = nil, workspace: WorkspaceConfig = WorkspaceConfig()) async throws -> Agent {
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: (directory ?? workDir).path)
        config.permission.mode = .auto
        config.workspace = workspace
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "test script")
        return try await Agent.create(config: config, store: store, provider: ScriptedProvider(script: parsed))
    }

    /// Opens a stored agent (a fork, say) on `script`.
    public func resume(_ id: AgentID, script: String = #"{"turns":[]}"#) async throws -> Agent {
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "test script")
        return try await Agent.resume(id: id, store: store, provider: ScriptedProvider(script: parsed))
    }

    /// The agent's workspace snapshot records, oldest first.
    public func snapshots(of id: AgentID) async throws -> [WorkspaceSnapshotRecord] {
        try await store.records(of: id, after: 0).compactMap {
            if case .workspaceSnapshot(let snapshot) = $0.body { return snapshot } else { return nil }
        }
    }

    /// The newest snapshot's tree, loaded from the blob store.
    public func latestTree(of id: AgentID) async throws -> WorkspaceTree? {
        guard let newest = try await snapshots(of: id).last else { return nil }
        return try WorkspaceTree.load(newest.tree, from: BlobStore(storeRoot: store.root))
    }

    /// Writes a file (creating its directories) under the work directory.
    public func write(_ relative: String, _ text: String, in base: URL? = nil) throws {
        let url = (base ?? workDir).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    public func read(_ relative: String, in base: URL? = nil) -> String? {
        (try? Data(contentsOf: (base ?? workDir).appendingPathComponent(relative))).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// What a directory holds, as comparable text per path: `file <mode> <contents>`,
/// `link -> <target>`, `dir <mode>`. Links are never followed.
public enum DirectoryState {
    public static func read(_ root: URL, skipping skipped: Set<String> = [".git"]) throws -> [String: String] {
        var out: [String: String] = [:]
        func walk(_ relative: String) throws {
            let path = relative.isEmpty ? root.path : root.path + "/" + relative
            for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() where !skipped.contains(name) {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let full = root.path + "/" + rel
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                let mode = String(st.st_mode & 0o7777, radix: 8)
                switch st.st_mode & S_IFMT {
                case S_IFLNK:
                    out[rel] = "link -> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")
                case S_IFDIR:
                    out[rel] = "dir \(mode)"
                    try walk(rel)
                default:
                    let contents = (try? Data(contentsOf: URL(fileURLWithPath: full))).map { String(decoding: $0, as: UTF8.self) } ?? "<unreadable>"
                    out[rel] = "file \(mode) \(contents)"
                }
            }
        }
        try walk("")
        return out
    }
}
