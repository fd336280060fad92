import Foundation
import KodeKernel
import Logging
import PostgresNIO

/// This process as an owner of agents (docs/POSTGRES.md, "Ownership and fencing").
///
/// One dedicated connection (never a pooled one: advisory locks belong to a session) holds a
/// session-level advisory lock per owned agent and renews this worker's lease in `workers`.
/// Taking an agent bumps its fencing epoch; the epoch, checked by every append, is what makes a
/// stalled owner harmless, the lock is what makes a second live owner wait its turn.
actor OwnerSession {
    let database: StoreDatabase
    let tables: Tables
    nonisolated let workerID: String
    /// "worker wrk_… (pid … on host … since …)": how others see this owner.
    nonisolated let description: String
    let staleAfter: Duration

    private var connection: PostgresConnection?
    private var connecting: Task<PostgresConnection, any Error>?
    private var heartbeat: Task<Void, Never>?
    private var held: [AgentID: OwnerClaim] = [:]
    /// Agents being acquired or released right now, so a second acquire of the same one in this
    /// process is refused rather than racing the first.
    nonisolated let local = LocalHolds()

    init(database: StoreDatabase, tables: Tables, name: String?, staleAfter: Duration) {
        self.database = database
        self.tables = tables
        self.staleAfter = staleAfter
        let id = "wrk_" + UUID().uuidString.prefix(8).lowercased()
        self.workerID = id
        let host = ProcessInfo.processInfo.hostName
        let since = ISO8601DateFormatter().string(from: Date())
        self.description = "worker \(name ?? id) (pid \(getpid()) on host \(host) since \(since))"
    }

    nonisolated func holdsLocally(_ id: AgentID) -> Bool { local.contains(id) }

    /// Takes ownership of `id`. With `takeOver`, an owner whose lease ran out is cut off first.
    /// `patience` is how long to wait for a live owner's lease to run out (for a takeover).
    func acquire(_ id: AgentID, takeOver: Bool, patience: Duration = .zero) async throws -> OwnerClaim {
        guard local.insert(id) else { throw StoreError.locked(id, holder: "this process (\(description))") }
        do {
            let claim = try await lockAndBump(id, takeOver: takeOver, patience: patience)
            held[id] = claim
            return claim
        } catch {
            local.remove(id)
            throw error
        }
    }

    private func lockAndBump(_ id: AgentID, takeOver: Bool, patience: Duration) async throws -> OwnerClaim {
        let connection = try await ensureConnection()
        try await ensureExists(id)
        let waitLive = ContinuousClock.now + patience
        var deadline = ContinuousClock.now + database.timeout
        while try await !tryLock(id, on: connection) {
            let holder = try await holder(of: id)
            if let holder, holder.diedOnThisHost, ContinuousClock.now < deadline {
                // Its process is gone and the server is closing its session: the lock is about
                // to be free (a command run right after another was killed meets this).
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            guard takeOver, let holder, holder.stale else {
                if takeOver, ContinuousClock.now < waitLive {
                    // A live owner: its lease may yet run out.
                    try await Task.sleep(for: .milliseconds(10))
                    deadline = ContinuousClock.now + database.timeout
                    continue
                }
                throw StoreError.locked(id, holder: holder?.description ?? "another session")
            }
            guard ContinuousClock.now < deadline else {
                throw StoreError.locked(id, holder: holder.description + "; it did not let go within \(Deadline.format(database.timeout))")
            }
            // The holder stopped renewing its lease: end its session, which releases its locks
            // (unless it renewed since we looked: then the next round finds it live).
            try await terminateIfStale(holder.pid)
            try await Task.sleep(for: .milliseconds(10))
        }
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(workerID)
        // Waits for appends still in flight at the old epoch, bumps it, then reads the head.
        let sql = "SELECT new_epoch, head FROM \(tables.schemaQuoted).kode_claim($1, $2)"
        let rows = try await query(connection, "taking ownership of \(id)", PostgresQuery(unsafeSQL: sql, binds: binds))
        guard let row = rows.first, case let (epoch?, lastSeq?) = try row.decode((Int64?, Int64?).self) else {
            _ = try? await unlock(id, on: connection)
            throw StoreError.notFound(id)
        }
        return OwnerClaim(id: id, epoch: epoch, lastSeq: UInt64(lastSeq))
    }

    /// Gives the agent back: the lock is released and the owner column cleared (its log is untouched).
    func release(_ claim: OwnerClaim) async {
        defer { local.remove(claim.id) }
        guard held[claim.id] === claim else { return }
        held[claim.id] = nil
        guard let connection, !connection.isClosed else { return }
        var binds = PostgresBindings()
        binds.append(claim.id)
        binds.append(claim.epoch)
        _ = try? await query(connection, "handing back \(claim.id)", PostgresQuery(unsafeSQL: "UPDATE \(tables.agents) SET owner = NULL WHERE id = $1 AND epoch = $2", binds: binds))
        _ = try? await unlock(claim.id, on: connection)
    }

    /// Who holds `id`'s lock, as text for an error.
    func holderDescription(_ id: AgentID) async throws -> String {
        try await holder(of: id)?.description ?? "another session"
    }

    /// Ends the lease: every owned agent is released by closing the lock connection.
    func shutdown() async {
        heartbeat?.cancel()
        heartbeat = nil
        for claim in held.values { claim.markLost("the store was shut down") }
        held = [:]
        local.removeAll()
        if let connection, !connection.isClosed {
            var binds = PostgresBindings()
            binds.append(workerID)
            _ = try? await query(connection, "ending the lease", PostgresQuery(unsafeSQL: "DELETE FROM \(tables.workers) WHERE id = $1", binds: binds))
            try? await connection.close()
        }
        connection = nil
    }

    // MARK: The lock connection

    private func ensureConnection() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        if let connecting { return try await connecting.value }
        let task = Task { try await self.connect() }
        connecting = task
        defer { connecting = nil }
        let connection = try await task.value
        self.connection = connection
        startHeartbeat(on: connection)
        return connection
    }

    private func connect() async throws -> PostgresConnection {
        let connection = try await database.dedicatedConnection("connecting the owner session")
        var binds = PostgresBindings()
        binds.append(workerID)
        binds.append(description)
        binds.append(Int32(getpid()))
        binds.append(ProcessInfo.processInfo.hostName)
        // Rows of sessions that are gone are only clutter: a lease is its live backend.
        let sql = """
            WITH gone AS (DELETE FROM \(tables.workers) WHERE backend_pid NOT IN (SELECT pid FROM pg_stat_activity))
            INSERT INTO \(tables.workers) (id, description, pid, host, backend_pid) VALUES ($1, $2, $3, $4, pg_backend_pid())
            ON CONFLICT (id) DO UPDATE SET backend_pid = EXCLUDED.backend_pid, heartbeat = now()
            """
        do {
            _ = try await query(connection, "registering the owner session", PostgresQuery(unsafeSQL: sql, binds: binds))
        } catch {
            try? await connection.close()
            throw error
        }
        return connection
    }

    /// Renews the lease a third of `staleAfter` apart. When the connection is gone, so are its
    /// locks: every claim is marked lost (the epoch would refuse its appends anyway).
    private func startHeartbeat(on connection: PostgresConnection) {
        heartbeat?.cancel()
        let interval = staleAfter / 3
        heartbeat = Task { [workerID, tables] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                var binds = PostgresBindings()
                binds.append(workerID)
                do {
                    _ = try await self.query(connection, "renewing the lease", PostgresQuery(unsafeSQL: "UPDATE \(tables.workers) SET heartbeat = now() WHERE id = $1", binds: binds))
                } catch {
                    await self.connectionLost(connection, reason: "\(error)")
                    return
                }
            }
        }
    }

    private func connectionLost(_ lost: PostgresConnection, reason: String) async {
        guard connection === lost else { return }
        connection = nil
        for claim in held.values {
            claim.markLost("the owner session's connection ended (\(reason)); another worker may own agent \(claim.id) now")
        }
        held = [:]
        local.removeAll()
        try? await lost.close()
    }

    // MARK: Queries

    private func ensureExists(_ id: AgentID) async throws {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await database.rows("reading agent \(id)", PostgresQuery(unsafeSQL: "SELECT 1 FROM \(tables.agents) WHERE id = $1", binds: binds))
        if rows.isEmpty { throw StoreError.notFound(id) }
    }

    private func tryLock(_ id: AgentID, on connection: PostgresConnection) async throws -> Bool {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await query(connection, "locking \(id)", PostgresQuery(unsafeSQL: "SELECT pg_try_advisory_lock(\(tables.lockKey("$1")))", binds: binds))
        return try rows.first?.decode(Bool.self) ?? false
    }

    private func unlock(_ id: AgentID, on connection: PostgresConnection) async throws {
        var binds = PostgresBindings()
        binds.append(id)
        _ = try await query(connection, "unlocking \(id)", PostgresQuery(unsafeSQL: "SELECT pg_advisory_unlock(\(tables.lockKey("$1")))", binds: binds))
    }

    struct Holder {
        var pid: Int32
        var description: String
        var stale: Bool
        /// The holder's worker ran on this machine and its process no longer exists.
        var diedOnThisHost: Bool
    }

    /// The session holding `id`'s advisory lock, from `pg_locks` (a bigint key is split into
    /// classid, the high half, and objid), with its worker's lease.
    private func holder(of id: AgentID) async throws -> Holder? {
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(Double(staleAfter.components.seconds) + Double(staleAfter.components.attoseconds) / 1e18)
        let sql = """
            WITH k AS (SELECT \(tables.lockKey("$1")) AS key)
            SELECT l.pid, w.description, COALESCE(now() - w.heartbeat > make_interval(secs => $2), false), w.pid, w.host
            FROM k, pg_locks l LEFT JOIN LATERAL (
                SELECT description, heartbeat, pid, host FROM \(tables.workers) WHERE backend_pid = l.pid ORDER BY started DESC LIMIT 1
            ) w ON true
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.classid = ((k.key >> 32) & 4294967295)::oid AND l.objid = (k.key & 4294967295)::oid
            LIMIT 1
            """
        let rows = try await database.rows("finding the owner of \(id)", PostgresQuery(unsafeSQL: sql, binds: binds))
        guard let row = rows.first else { return nil }
        let (pid, description, stale, processID, host) = try row.decode((Int32, String?, Bool, Int32?, String?).self)
        var died = false
        if let processID, host == ProcessInfo.processInfo.hostName, processID != getpid() {
            died = kill(processID, 0) == -1 && errno == ESRCH
        }
        return Holder(pid: pid, description: description ?? "database session \(pid), not a kode worker", stale: stale, diedOnThisHost: died)
    }

    /// Ends the database session `pid` if it is a worker whose lease ran out, checked in the
    /// same statement, so an owner that renewed a moment ago is left alone. Its locks go with
    /// the session; its fencing epoch already keeps it from writing once another takes over.
    func terminateIfStale(_ pid: Int32) async throws {
        var binds = PostgresBindings()
        binds.append(pid)
        binds.append(Double(staleAfter.components.seconds) + Double(staleAfter.components.attoseconds) / 1e18)
        _ = try await database.rows("cutting off a stale owner", PostgresQuery(unsafeSQL: """
            SELECT pg_terminate_backend($1) FROM \(tables.workers)
            WHERE backend_pid = $1 AND now() - heartbeat > make_interval(secs => $2)
            """, binds: binds))
    }

    private func query(_ connection: PostgresConnection, _ what: String, _ query: PostgresQuery) async throws -> [PostgresRow] {
        let logger = database.logger
        return try await database.run(what) {
            var rows: [PostgresRow] = []
            for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
            return rows
        }
    }
}
