import Foundation
import KodeKernel
import Logging
import Synchronization

/// A running host: the hub that keeps agents open, the socket server in front of it, and the
/// orderly way down (DESIGN §9). `kode serve` is this plus argument parsing.
public final class HostRuntime: Sendable {
    /// How the host behaves.
    public struct Options: Sendable {
        /// Idle agents nobody is attached to stay open up to this many.
        public var maxOpen: Int
        /// How long running tools may finish when the host stops.
        public var grace: Duration

        public init(maxOpen: Int = 64, grace: Duration = .seconds(10)) {
            self.maxOpen = maxOpen
            self.grace = grace
        }
    }

    /// A hub in front of the host's own, with what must stop before the host lets its agents
    /// go: a PostgreSQL worker (its inbox and takeovers) in front of the agents it owns.
    public struct Front: Sendable {
        public var hub: any AgentHub
        public var stop: @Sendable () async -> Void

        public init(hub: any AgentHub, stop: @escaping @Sendable () async -> Void) {
            self.hub = hub
            self.stop = stop
        }
    }

    public let paths: HostPaths
    let hub: LocalAgentHub
    let server: HostServer
    let lock: HostLock
    /// The pid file as written, so stopping removes only that file.
    let pidFile: FileIdentity?
    /// Fires timed triggers while nobody is attached (docs/MULTI-AGENT.md, "Scheduler").
    let scheduler: HubScheduler
    let options: Options
    let logger: Logger
    let front: Front?
    private let stops: AsyncStream<Duration?>
    private let stopSink: AsyncStream<Duration?>.Continuation

    /// Takes the store's host lock, binds the socket and recovers agents that have work left.
    /// - Parameters:
    ///   - storeDescription: what `--status` and the handshake call the store.
    ///   - front: made from the host's hub, serves the clients instead of it; when given, it also
    ///     takes over recovering agents (a worker takes the ones nobody owns).
    public init(store: any AgentStore, storeDescription: String, paths: HostPaths, wiring: AgentWiring, options: Options, logger: Logger,
                front makeFront: (@Sendable (LocalAgentHub) async -> Front)? = nil) async throws {
        try paths.prepare()
        let lock = try HostLock.acquire(paths)
        self.lock = lock
        self.paths = paths
        self.options = options
        self.logger = logger
        let hub = LocalAgentHub(store: store, wiring: wiring, retention: .keepOpen(maxOpen: options.maxOpen))
        self.hub = hub
        scheduler = HubScheduler(hub: hub, clock: wiring.clock) { logger.warning("\($0)") }
        let (stops, sink) = AsyncStream.makeStream(of: Duration?.self)
        self.stops = stops
        self.stopSink = sink
        let front = await makeFront?(hub)
        self.front = front
        server = HostServer(hub: hub, front: front?.hub, socketPath: paths.socket, storeDescription: storeDescription, logger: logger) { grace in sink.yield(grace) }
        do {
            try server.start()
        } catch {
            // A worker may have taken agents already: give them back.
            if let front {
                await front.stop()
                await hub.shutDown(grace: .zero)
            }
            lock.release()
            throw error
        }
        try? "\(getpid())\n".write(to: paths.pidFile, atomically: true, encoding: .utf8)
        pidFile = FileIdentity(path: paths.pidFile.path)
        guard front == nil else { return }
        let recovered = await hub.recoverAll()
        for id in recovered.opened { logger.info("recovered", metadata: ["agent": "\(id)"]) }
        for failure in recovered.failures { logger.error("could not recover an agent", metadata: ["detail": "\(failure)"]) }
        let scheduled = await scheduler.start()
        if !scheduled.isEmpty { logger.info("scheduler started", metadata: ["agents": "\(scheduled.count)"]) }
    }

    /// How often the host looks whether its directory still exists.
    static let removalCheck: Duration = .seconds(2)

    /// Calls `stop` once the host's directory (`<store>/host/`, holding its lock and pid file)
    /// is gone or holds another lock file: the store was deleted under it (`rm -rf` of a project, a test's temporary
    /// store), no client can find this host again, and it would otherwise idle for ever. A
    /// `stat` every `removalCheck`; there is no event for a removed ancestor directory.
    static func stopWhenRemoved(_ paths: HostPaths, lock: HostLock, logger: Logger, stop: @Sendable () -> Void) async {
        // The lock file this host holds, by inode: a store removed and made again at the same
        // path between two looks has a lock file too, but not this one (another host may hold it).
        let held = lock.identity
        while !Task.isCancelled {
            try? await Task.sleep(for: removalCheck)
            // Only a file that is not there, or is another file, counts: any other failure to
            // look (a permission changed on a parent, an I/O error) says nothing of the store.
            let found = FileIdentity(path: paths.lockFile.path)
            let gone = found == nil && errno == ENOENT
            let replaced = found != nil && held != nil && found != held
            if gone || replaced {
                logger.warning("the store's host directory was \(gone ? "removed" : "replaced"); stopping",
                               metadata: ["directory": "\(paths.directory.path)"])
                stop()
                return
            }
        }
    }

    /// Asks the host to stop (a signal handler or a test calls this).
    public func requestStop(grace: Duration? = nil) {
        stopSink.yield(grace)
    }

    /// Serves until a stop is requested, then stops gracefully: no new clients, running turns
    /// get the grace period, what is left is detached as a crash would (a running tool is sealed
    /// on the next open), every lock is released and the socket removed.
    public func run() async {
        let watcher = Task { [paths, lock, logger, stopSink] in
            await Self.stopWhenRemoved(paths, lock: lock, logger: logger) { stopSink.yield(nil) }
        }
        defer { watcher.cancel() }
        var iterator = stops.makeAsyncIterator()
        let asked = await iterator.next() ?? nil
        let grace = asked ?? options.grace
        logger.info("stopping", metadata: ["grace": "\(grace)"])
        server.stopAccepting()
        // Clients first: they see a dropped connection (not an ended subscription), so an
        // attached app reconnects to the next host and replays what it missed from the log.
        await server.disconnectAll(reason: "the host stopped")
        // A worker stops taking agents first, or it would take back the ones being let go.
        await front?.stop()
        await scheduler.stop()
        await hub.shutDown(grace: grace)
        // By identity: after the store was removed and made again, the file at this path is the
        // new store's host's.
        pidFile?.removeIfStill(at: paths.pidFile.path)
        lock.release()
        logger.info("stopped")
    }
}
