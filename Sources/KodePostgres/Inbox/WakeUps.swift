import Foundation
import KodeKernel
import Logging
import PostgresNIO
import Synchronization

/// LISTEN on the store's channel (docs/POSTGRES.md, "The command inbox"), turned into pulses:
/// one for every new command (`c:<agent>`), one per agent for its new records (`r:<agent>`).
///
/// A hint only. Everything that waits on a pulse also polls, so a notification lost while the
/// listening connection was down (it reconnects by itself) delays work by one poll, no more.
final class WakeUps: Sendable {
    let store: PostgresStore
    /// Any new command, for any agent.
    let commands = Pulse()
    private let records = Mutex<[AgentID: Pulse]>([:])
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let logger: Logger

    init(store: PostgresStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The pulse of `id`'s records.
    func records(of id: AgentID) -> Pulse {
        start()
        return records.withLock { map in
            if let pulse = map[id] { return pulse }
            let pulse = Pulse()
            map[id] = pulse
            return pulse
        }
    }

    /// Starts listening (once).
    func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in await listen() }
        }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    private func listen() async {
        let channel = store.tables.channel
        while !Task.isCancelled {
            do {
                let connection = try await store.database.dedicatedConnection("listening for commands", applicationName: "kode-listen")
                defer { Task { try? await connection.close() } }
                try await withTaskCancellationHandler {
                    try await connection.listen(on: channel) { notifications in
                        // Whatever happened while no connection listened is found by the polls.
                        commands.signal()
                        for try await notification in notifications { deliver(notification.payload) }
                    }
                } onCancel: {
                    Task { try? await connection.close() }
                }
            } catch {
                if Task.isCancelled { return }
                logger.notice("the LISTEN connection ended; polling until it is back", metadata: ["reason": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    private func deliver(_ payload: String) {
        if payload.hasPrefix("c:") {
            commands.signal()
        } else if payload.hasPrefix("r:") {
            let id = String(payload.dropFirst(2))
            records.withLock { $0[id] }?.signal()
        }
    }
}
