import Foundation
import KodeKernel

/// Reading stored agents from commands that do not run a turn.
enum StoredAgent {
    /// Opens an agent for writing without a model (approve, label a checkpoint).
    static func openForWriting(_ id: AgentID, store: any AgentStore) async throws -> Agent {
        do {
            let manifest = try await store.manifest(of: id)
            let info = ProviderInfo(name: manifest.config.provider.name, model: manifest.config.provider.model)
            return try await Agent.resume(id: id, store: store, provider: NoModelProvider(info: info))
        } catch let error as StoreError {
            if case .notFound = error { throw CLIError.usage(error.description) }
            throw CLIError.runtime(error.description)
        } catch {
            throw CLIError.runtime("\(error)")
        }
    }

    /// The conversation of a stored agent, lock-free, without folding the rest of its state.
    static func conversation(_ id: AgentID, store: any AgentStore) async throws -> [Message] {
        try await reading(id, store: store) { try AgentState.conversation(of: $0) }
    }

    /// Reads a stored agent's history, lock-free, with store errors as the CLI's errors.
    static func reading<T>(_ id: AgentID, store: any AgentStore, _ read: (AgentHistory) throws -> T) async throws -> T {
        do {
            return try read(try await store.history(of: id))
        } catch let error as StoreError {
            if case .notFound = error { throw CLIError.usage(error.description) }
            throw CLIError.runtime(error.description)
        }
    }

    /// The folded state of a stored agent, lock-free.
    static func state(_ id: AgentID, store: any AgentStore) async throws -> (AgentManifest, AgentState) {
        do {
            let history = try await store.history(of: id)
            return (history.manifest, try AgentState.rebuild(from: history))
        } catch let error as StoreError {
            if case .notFound = error { throw CLIError.usage(error.description) }
            throw CLIError.runtime(error.description)
        }
    }
}

/// JSON output with sorted keys and ISO-8601 times.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = EventEnvelope.lineEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        let data = try encoder.encode(value)
        Output.stdout(String(decoding: data, as: UTF8.self) + "\n")
    }
}
