import Foundation
import KodeKernel
import PostgresNIO

/// The command inbox (docs/POSTGRES.md, "The command inbox"): rows clients on any worker write
/// and the agent's owner applies in order.
extension PostgresStore {
    /// Stores `command` for agent `id` and returns its id once the row has committed (that is the
    /// acknowledgement: from then on the command cannot be lost). A notification wakes the
    /// workers; with `wake` false none is sent (the tests' stand-in for a lost notification).
    public func submit(_ command: AgentCommand, to id: AgentID, wake: Bool = true) async throws -> Int64 {
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(command.kind)
        binds.append(ByteBuffer(bytes: try JSONEncoder().encode(command)))
        binds.append(tables.channel)
        binds.append(wake)
        let sql = """
            WITH added AS (
                INSERT INTO \(tables.commands) (agent_id, kind, body) SELECT id, $2, $3 FROM \(tables.agents) WHERE id = $1 RETURNING id
            )
            SELECT id, (SELECT count(*) FROM (SELECT pg_notify($4, 'c:' || $1) FROM added WHERE $5) n) FROM added
            """
        let rows = try await database.rows("queueing a command for \(id)", PostgresQuery(unsafeSQL: sql, binds: binds))
        guard let row = rows.first else { throw StoreError.notFound(id) }
        return try row.decode((Int64, Int64).self).0
    }

    /// The agent's commands not applied yet, oldest first.
    func pendingCommands(of id: AgentID) async throws -> [(id: Int64, command: AgentCommand)] {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await database.rows("reading the commands of \(id)", PostgresQuery(
            unsafeSQL: "SELECT id, body FROM \(tables.commands) WHERE agent_id = $1 AND applied IS NULL ORDER BY id", binds: binds))
        let decoder = JSONDecoder()
        return try rows.map { row in
            let (commandID, body) = try row.decode((Int64, ByteBuffer).self)
            do {
                return (commandID, try decoder.decode(AgentCommand.self, from: Data(body.readableBytesView)))
            } catch {
                throw StoreError.corrupted(file: "\(url) command \(commandID) of \(id)", offset: 0, detail: "not a command: \(error)")
            }
        }
    }

    /// Agents with commands waiting.
    func agentsWithPendingCommands() async throws -> [AgentID] {
        let rows = try await database.rows("reading the command inbox", PostgresQuery(
            unsafeSQL: "SELECT DISTINCT agent_id FROM \(tables.commands) WHERE applied IS NULL"))
        return try rows.map { try $0.decode(String.self) }
    }

    /// Marks a command applied (or refused, with the reason) unless it already is. With `epoch`,
    /// only while the agent's fencing epoch is still that one: an owner that lost the agent
    /// while applying leaves the command to the next owner.
    func finishCommand(_ commandID: Int64, failed: Bool, outcome: String?, epoch: Int64? = nil) async throws {
        var binds = PostgresBindings()
        binds.append(commandID)
        binds.append(failed)
        binds.append(outcome)
        binds.append(epoch)
        _ = try await database.rows("marking command \(commandID) applied", PostgresQuery(unsafeSQL: """
            UPDATE \(tables.commands) c SET applied = now(), failed = $2, outcome = $3 WHERE c.id = $1 AND c.applied IS NULL
              AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM \(tables.agents) a WHERE a.id = c.agent_id AND a.epoch = $4::bigint))
            """, binds: binds))
    }

    /// The fencing epoch this process owns `id` with, nil when it does not (or lost it).
    func ownedEpoch(of id: AgentID) -> Int64? {
        guard let writer = writers.writer(of: id), writer.claim.lost == nil else { return nil }
        return writer.claim.epoch
    }

    /// What became of a command so far.
    public func outcome(of commandID: Int64) async throws -> CommandOutcome {
        var binds = PostgresBindings()
        binds.append(commandID)
        let rows = try await database.rows("reading command \(commandID)", PostgresQuery(
            unsafeSQL: "SELECT applied IS NOT NULL, failed, outcome FROM \(tables.commands) WHERE id = $1", binds: binds))
        guard let row = rows.first else { throw StoreError.io(path: url.description, message: "no command \(commandID) in the inbox") }
        let (applied, failed, text) = try row.decode((Bool, Bool, String?).self)
        return CommandOutcome(id: commandID, applied: applied, failed: failed, text: text)
    }

    /// Waits up to `patience` for an owner to apply the command; the outcome so far either way.
    public func waitForOutcome(of commandID: Int64, patience: Duration) async throws -> CommandOutcome {
        let deadline = ContinuousClock.now + patience
        var pause = Duration.milliseconds(2)
        while true {
            let outcome = try await outcome(of: commandID)
            if outcome.applied || ContinuousClock.now >= deadline { return outcome }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// An agent no live session owns.
    struct UnownedAgent: Sendable {
        var id: AgentID
        var lastSeq: Int64
        var epoch: Int64
        /// The backend of a holder whose lease ran out, to cut off first.
        var staleHolder: Int32?
        /// Its last owner never handed it back (killed, crashed, cut off): it is taken without
        /// reading its history first.
        var abandoned: Bool
    }

    /// Agents no live session owns: their advisory lock is free, or its holder's lease ran out.
    /// With each, its last seq and fencing epoch, so a caller can skip the ones it already found
    /// idle.
    func unownedAgents() async throws -> [UnownedAgent] {
        var binds = PostgresBindings()
        binds.append(Double(ownership.staleAfter.components.seconds) + Double(ownership.staleAfter.components.attoseconds) / 1e18)
        let sql = """
            WITH held AS (
                SELECT l.pid, (l.classid::bigint << 32) | l.objid::bigint AS key FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            )
            , candidates AS (
                SELECT a.id, a.epoch, a.owner IS NOT NULL AS owned, h.pid,
                       COALESCE((SELECT now() - w.heartbeat > make_interval(secs => $1) FROM \(tables.workers) w WHERE w.backend_pid = h.pid ORDER BY w.started DESC LIMIT 1), false) AS stale
                FROM \(tables.agents) a LEFT JOIN held h ON h.key = \(tables.lockKey("a.id"))
            )
            SELECT id, \(tables.head("id")), epoch, owned, pid FROM candidates WHERE pid IS NULL OR stale
            """
        let rows = try await database.rows("finding agents without an owner", PostgresQuery(unsafeSQL: sql, binds: binds))
        var result: [UnownedAgent] = []
        for row in rows {
            let (id, lastSeq, epoch, owned, pid) = try row.decode((String, Int64, Int64, Bool, Int32?).self)
            result.append(UnownedAgent(id: id, lastSeq: lastSeq, epoch: epoch, staleHolder: pid, abandoned: owned))
        }
        return result
    }

    /// Ends the session of an owner whose lease ran out (checked again in the same statement).
    func cutOffStaleOwner(backend pid: Int32) async throws {
        try await ownership.terminateIfStale(pid)
    }

    /// Arms `command` (id `commandID`) on this process's writer of `id`; false when this process
    /// does not own the agent or the command is applied idempotently (no mark).
    func arm(_ commandID: Int64, _ command: AgentCommand, on id: AgentID) -> Bool {
        guard let mark = CommandMark.forCommand(commandID, command), let writer = writers.writer(of: id) else { return false }
        writer.arm(mark)
        return true
    }

    /// Takes an armed mark off; true when no commit consumed it.
    func disarm(_ commandID: Int64, on id: AgentID) -> Bool {
        writers.writer(of: id)?.disarm(commandID) ?? true
    }

    /// The agent's last stored seq (where a new follower starts).
    func lastSeq(of id: AgentID) async throws -> UInt64 {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await database.rows("reading agent \(id)", PostgresQuery(unsafeSQL: "SELECT \(tables.head("id")) FROM \(tables.agents) WHERE id = $1", binds: binds))
        guard let row = rows.first else { throw StoreError.notFound(id) }
        return UInt64(try row.decode(Int64.self))
    }
}

extension PostgresStore {
    /// Who owns `id` now, as text for a message.
    func ownerDescription(of id: AgentID) async throws -> String {
        try await ownership.holderDescription(id)
    }
}
