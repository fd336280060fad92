import ArgumentParser
import Foundation
import KodeKernel

/// `kode store copy --from DIR|URL --to DIR|URL [ID…]`: moves agents between stores (a directory
/// and PostgreSQL, either way) keeping ids, seqs, fork lineage, checkpoints and record bytes.
struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy agents from one store to another (directory or postgres:// URL).",
        discussion: """
            Copies each agent's manifest, its own records (a fork keeps pointing at its parent, \
            which must be copied too or already be there) and its newest snapshot. Parents are \
            copied before their forks. An id that already exists in the target stops the copy. \
            Agents being written by a running host are copied as far as they are stored.
            """
    )

    @Option(help: ArgumentHelp("The store to copy from.", valueName: "dir|url")) var from: String
    @Option(help: ArgumentHelp("The store to copy to.", valueName: "dir|url")) var to: String
    @Argument(help: "Agents to copy (default: every agent).") var ids: [String] = []

    func run() async throws {
        let source = try await StoreOptions(store: from).openAnyStore()
        let target = try await StoreOptions(store: to).openAnyStore()
        do {
            let copied = try await StoreCopy(source: source, target: target).copy(ids.isEmpty ? nil : ids)
            for agent in copied {
                Output.stdout("copied \(agent.id): \(agent.records) record(s)\(agent.snapshot ? ", snapshot" : "")\(agent.parent.map { ", fork of \($0)" } ?? "")\n")
            }
            Output.stdout("\(copied.count) agent(s) copied\n")
        } catch {
            throw ClientFailure.cliError(error)
        }
    }
}

extension StoreOptions {
    init(store: String) {
        self.init()
        self.store = store
    }
}

/// The copy itself, store to store through `AgentStore` only.
struct StoreCopy {
    struct Copied {
        var id: AgentID
        var records: Int
        var snapshot: Bool
        var parent: AgentID?
    }

    let source: any AgentStore
    let target: any AgentStore

    func copy(_ ids: [AgentID]?) async throws -> [Copied] {
        let all = try await source.list()
        let chosen: [AgentManifest]
        if let ids {
            let byId = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            chosen = try ids.map { id in
                guard let manifest = byId[id] else { throw StoreError.notFound(id) }
                return manifest
            }
        } else {
            chosen = all
        }
        var copied: [Copied] = []
        var done = Set<AgentID>()
        for manifest in try parentsFirst(chosen) {
            if let parent = manifest.parent, !done.contains(parent.agentId) {
                do {
                    _ = try await target.manifest(of: parent.agentId)
                } catch StoreError.notFound {
                    throw CLIError.usage("agent \(manifest.id) is a fork of \(parent.agentId), which is neither being copied nor in the target: copy it too")
                }
            }
            copied.append(try await copyOne(manifest))
            done.insert(manifest.id)
        }
        return copied
    }

    /// Parents before forks (a fork's manifest can only be created once its parent exists).
    private func parentsFirst(_ manifests: [AgentManifest]) throws -> [AgentManifest] {
        let chosen = Set(manifests.map(\.id))
        var placed = Set<AgentID>()
        var ordered: [AgentManifest] = []
        var left = manifests
        while !left.isEmpty {
            let ready = left.filter { m in m.parent.map { !chosen.contains($0.agentId) || placed.contains($0.agentId) } ?? true }
            guard !ready.isEmpty else { throw CLIError.runtime("the agents' fork lineage loops: \(left.map(\.id))") }
            for m in ready { placed.insert(m.id) }
            ordered += ready
            left.removeAll { placed.contains($0.id) }
        }
        return ordered
    }

    private func copyOne(_ manifest: AgentManifest) async throws -> Copied {
        // A fork's own records are exactly those after its fork seq; before it, its parent's.
        let forkSeq = manifest.parent?.seq ?? 0
        let records = try await source.records(of: manifest.id, after: forkSeq)
        let history = try await source.history(of: manifest.id)
        try await target.create(manifest)
        let writer = try await target.openWriter(manifest.id)
        do {
            var start = 0
            while start < records.count {
                let end = min(start + 1_000, records.count)
                try await writer.append(Array(records[start..<end]), durability: .durable)
                start = end
            }
            // Only the agent's own snapshot: an ancestor's travels with the ancestor.
            var wroteSnapshot = false
            if let snapshot = history.snapshot, snapshot.seq > forkSeq, snapshot.seq <= (records.last?.seq ?? 0) {
                try await writer.writeSnapshot(StoredSnapshot(seq: snapshot.seq, data: snapshot.data))
                wroteSnapshot = true
            }
            try await writer.close()
            return Copied(id: manifest.id, records: records.count, snapshot: wroteSnapshot, parent: manifest.parent?.agentId)
        } catch {
            try? await writer.close()
            throw error
        }
    }
}
