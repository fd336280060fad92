import Foundation
import KodeKernel
import Logging
import Synchronization

/// Serves one store's agents on a Unix domain socket (DESIGN §9, docs/PROTOCOL.md): accepts
/// connections on its own thread, refuses peers of another user, and gives each client a
/// ``HostSession`` that answers its requests through the hub.
package final class HostServer: Sendable {
    /// What clients' requests go to: the local hub, or a worker's hub in front of it.
    let hub: any AgentHub
    /// The agents open in this process (for `--status`).
    let local: LocalAgentHub
    let socketPath: String
    let storeDescription: String
    let logger: Logger
    let started = Date()
    /// Called when a client asks the host to stop, with the grace period it asked for.
    let onStopRequest: @Sendable (Duration?) -> Void
    private let listener = Mutex<Int32>(-1)
    /// The socket file as bound, so stopping removes only that file (after the store was
    /// removed and made again, the path may be another host's socket).
    private let boundSocket = Mutex<FileIdentity?>(nil)
    private let sessions = Mutex<[UInt64: HostSession]>([:])
    private let nextSession = Atomic<UInt64>(1)
    private let ownUID = getuid()

    package init(hub: LocalAgentHub, front: (any AgentHub)? = nil, socketPath: String, storeDescription: String, logger: Logger, onStopRequest: @escaping @Sendable (Duration?) -> Void) {
        self.hub = front ?? hub
        self.local = hub
        self.socketPath = socketPath
        self.storeDescription = storeDescription
        self.logger = logger
        self.onStopRequest = onStopRequest
    }

    /// Binds the socket and starts accepting.
    package func start() throws {
        let fd = try UnixSocket.listen(at: socketPath)
        listener.withLock { $0 = fd }
        boundSocket.withLock { $0 = FileIdentity(path: socketPath) }
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "kode-host-accept"
        thread.start()
        logger.info("listening", metadata: ["socket": "\(socketPath)"])
    }

    /// Stops accepting new clients; connected ones stay until ``disconnectAll(reason:)``.
    package func stopAccepting() {
        let fd = listener.withLock { fd -> Int32 in
            defer { fd = -1 }
            return fd
        }
        guard fd >= 0 else { return }
        UnixSocket.shutdownBoth(fd)
        UnixSocket.closeDescriptor(fd)
        boundSocket.withLock { $0 }?.removeIfStill(at: socketPath)
    }

    /// Says goodbye to every client and closes its connection.
    package func disconnectAll(reason: String) async {
        let all = sessions.withLock { s -> [HostSession] in
            defer { s.removeAll() }
            return Array(s.values)
        }
        for session in all { await session.end(bye: reason) }
    }

    /// Connected clients right now.
    package var clientCount: Int { sessions.withLock { $0.count } }

    private func acceptLoop(_ fd: Int32) {
        while let client = UnixSocket.accept(fd) {
            let id = nextSession.wrappingAdd(1, ordering: .relaxed).oldValue
            guard let peer = UnixSocket.peerUID(client), peer == ownUID else {
                // On a thread of its own: a refused peer must not hold up the accept loop.
                let thread = Thread { [self] in refuse(client, peer: UnixSocket.peerUID(client)) }
                thread.start()
                continue
            }
            let session = HostSession(id: id, fd: client, server: self)
            sessions.withLock { $0[id] = session }
            session.start()
        }
    }

    /// Tells a peer of another user why it is refused, then closes. The write is best effort: the
    /// peer may not read it.
    private func refuse(_ fd: Int32, peer: uid_t?) {
        let who = peer.map { "uid \($0)" } ?? "an unknown user"
        let message = ConnectionError(
            code: "forbidden",
            message: "refused: this host serves uid \(ownUID) only and the connecting process runs as \(who)")
        logger.warning("refused a client", metadata: ["peer": "\(who)"])
        let bytes = Frame(kind: .message, payload: WireJSON.encode(message)).bytes
        UnixSocket.setTimeouts(fd, seconds: 1)
        try? bytes.withUnsafeBytes { try UnixSocket.writeAll(fd, $0) }
        // Closing with the peer's hello unread would reset the connection and could discard the
        // reason before the peer reads it: end our side, read what the peer sent, then close.
        shutdown(fd, Int32(SHUT_WR))
        let sink = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { sink.deallocate() }
        while UnixSocket.read(fd, into: sink) > 0 {}
        UnixSocket.closeDescriptor(fd)
    }

    func sessionEnded(_ id: UInt64) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    func status() async -> HostStatus {
        let open = await local.openAgents().map { HostStatus.OpenAgent(status: $0.status, attached: $0.attached) }
        return HostStatus(pid: getpid(), store: storeDescription, started: started, clients: clientCount, open: open)
    }
}
