import ArgumentParser
import Foundation
import KodeConfig
import KodeHost
import KodeKernel
import KodePostgres
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `kode serve`: the host that runs a store's agents while terminals come and go.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the store's agents in a host process that outlives terminals.",
        discussion: """
            While a host runs, every kode command on the same store goes through it: the app \
            and 'kode run' attach to agents there, 'kode approve' answers approvals there, and \
            agents keep working when a terminal closes or an SSH connection drops. The socket is \
            <store>/host/kode.sock, in a directory only you may enter. --detach starts the host \
            in the background (log in <store>/host/host.log); SIGTERM or --stop ends it \
            gracefully: running tools get --grace seconds, then what is left is detached as a \
            crash would leave it (a running tool is sealed on the next open). With --store \
            postgres://… (or KODE_STORE) the host is a worker on that database: its socket is \
            under /tmp/kode-<uid>/, agents are owned one worker at a time (docs/POSTGRES.md), and \
            the password is never printed.
            """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Start the host in the background and return once it answers.")
    var detach = false

    @Flag(help: "Say whether a host runs for the store and what it holds.")
    var status = false

    @Flag(help: "Stop the store's host gracefully.")
    var stop = false

    @Option(name: .customLong("max-open"), help: ArgumentHelp("Idle agents kept open, at most (default 64).", valueName: "n"))
    var maxOpen = 64

    @Option(help: ArgumentHelp("Seconds running tools may finish when the host stops (default 10).", valueName: "seconds"))
    var grace = 10

    func validate() throws {
        if [detach, status, stop].filter({ $0 }).count > 1 { throw ValidationError("give at most one of --detach, --status and --stop") }
        if maxOpen < 1 { throw ValidationError("--max-open must be at least 1") }
        if grace < 0 { throw ValidationError("--grace must not be negative") }
    }

    func run() async throws {
        let root = StoreAccess.root(storeOptions).standardizedFileURL
        let paths = HostPaths(storeRoot: root)
        let shown = storeOptions.displayName
        if status { return try await printStatus(paths, shown: shown) }
        if stop { return try await stopHost(paths, shown: shown) }
        if detach {
            let hub = try await HostLauncher.start(root: root, maxOpen: maxOpen, grace: grace)
            let status = try await hub.hostStatus()
            Output.stdout("host running (pid \(status.pid)) for \(shown); log: \(paths.logFile.path)\n")
            return
        }
        try await serve(shown: shown, paths: paths)
    }

    private func serve(shown: String, paths: HostPaths) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "kode.host")
        let store = try await storeOptions.openAnyStore()
        let environment = ProcessInfo.processInfo.environment
        let external = try await ExternalTools.load(environment: environment) { logger.warning("\($0)") }
        var wiring = AgentWiring(
            makeProvider: { try ProviderResolver.make($0, environment: environment) },
            tools: { external.registry },
            hooks: try BreakpointFaultInjector.hooks(environment: environment),
            costEstimator: ProviderResolver.costEstimator,
            context: try ContextSettings.policy(environment: environment),
            projectRules: ProjectRuleFile(environment: environment))
        wiring.clock = try SchedulerClockSetting.clock(environment: environment)
        let runtime: HostRuntime
        do {
            runtime = try await HostRuntime(
                store: store, storeDescription: shown, paths: paths, wiring: wiring,
                options: HostRuntime.Options(maxOpen: maxOpen, grace: .seconds(grace)), logger: logger,
                front: Self.workerFront(store, logger: logger))
        } catch let error as HostError {
            await (store as? PostgresStore)?.shutdown()
            throw CLIError.runtime(error.description)
        }
        // A host has no terminal: a hang-up is not a reason to stop; SIGTERM and SIGINT are.
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let stops = [SIGTERM, SIGINT].map { sig -> any DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig)
            source.setEventHandler { runtime.requestStop() }
            source.resume()
            return source
        }
        logger.info("host started", metadata: ["pid": "\(getpid())", "store": "\(shown)"])
        await runtime.run()
        // A worker's agents go back to the database: its locks are released, its lease ended.
        await (store as? PostgresStore)?.shutdown()
        for source in stops { source.cancel() }
    }

    /// On a database, the host is one worker among many: it applies its agents' inbox commands,
    /// takes over agents nobody owns, and reaches agents other workers own through the inbox.
    private static func workerFront(_ store: any AgentStore, logger: Logger) -> (@Sendable (LocalAgentHub) async -> HostRuntime.Front)? {
        guard let database = store as? PostgresStore else { return nil }
        return { local in
            let worker = PostgresWorker(store: database, hub: local, logger: logger)
            await worker.start()
            let hub = WorkerAgentHub(local: local, store: database, worker: worker, logger: logger)
            return HostRuntime.Front(hub: hub, stop: { await worker.stop() })
        }
    }

    private func printStatus(_ paths: HostPaths, shown: String) async throws {
        guard let hub = try await HostProbe.reach(paths) else {
            Output.stdout("no host runs for \(shown)\n")
            throw ExitCode(1)
        }
        let status = try await hub.hostStatus()
        Output.stdout("host pid \(status.pid) for \(status.store), up since \(ISO8601.format(status.started)), \(status.clients - 1) other client(s), \(status.open.count) agent(s) open\n")
        for agent in status.open {
            let s = agent.status
            Output.stdout("  \(s.id)  \(s.runtimeState.rawValue)  \(s.breakpoint.rawValue)  \(s.messageCount) msgs  \(s.pendingApprovals.count) pending  \(agent.attached) attached\n")
        }
        await hub.disconnect()
    }

    private func stopHost(_ paths: HostPaths, shown: String) async throws {
        guard let hub = try await HostProbe.reach(paths) else {
            Output.stdout("no host runs for \(shown)\n")
            throw ExitCode(1)
        }
        let pid = try await hub.hostStatus().pid
        try await hub.stopHost(grace: .seconds(grace))
        await hub.disconnect()
        // Gone when the process is: its lock, socket and pid file go with it.
        while kill(pid, 0) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        Output.stdout("host stopped (pid \(pid))\n")
    }
}
