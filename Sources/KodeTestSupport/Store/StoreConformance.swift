import Foundation
import KodeKernel

/// One behavioural suite that every `AgentStore` must pass, whatever keeps its bytes.
///
/// Each check gets a fresh, empty store from the factory and throws `StoreConformance.Failure`
/// when the store breaks a rule. Run them one by one (e.g. as test arguments over `names`) or all
/// at once with `runAll`.
public enum StoreConformance {
    /// A broken rule, with the check's name and what was observed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The check that failed.
        public let check: String
        /// What the store did wrong.
        public let detail: String
        /// "check: detail".
        public var description: String { "\(check): \(detail)" }
    }

    /// Makes a fresh, empty store for one check.
    public typealias StoreFactory = @Sendable () async throws -> any AgentStore

    /// The names of every check, in a stable order.
    public static var names: [String] { checks.map(\.name) }

    /// Runs the check called `name` against a fresh store.
    public static func run(_ name: String, makeStore: StoreFactory) async throws {
        guard let check = checks.first(where: { $0.name == name }) else {
            throw Failure(check: name, detail: "no such conformance check")
        }
        try await check.body(Context(name: name), try await makeStore())
    }

    /// Runs every check, each against its own fresh store.
    public static func runAll(makeStore: StoreFactory) async throws {
        for name in names { try await run(name, makeStore: makeStore) }
    }

    /// A sample manifest: the config is irrelevant to stores, but must round-trip.
    public static func sampleManifest(id: AgentID = AgentManifest.newID(), parent: ParentRef? = nil) -> AgentManifest {
        AgentManifest(
            id: id,
            created: Date(timeIntervalSince1970: 1_800_000_000),
            config: AgentConfig(provider: ProviderConfig(name: "scripted", model: "test-model"), systemPrompt: "be brief", workDir: "/tmp/work"),
            parent: parent
        )
    }

    /// `count` sample records with seqs `first`, `first + 1`, …, alternating kinds.
    public static func sampleRecords(from first: UInt64, count: Int) -> [LogRecord] {
        (0..<UInt64(count)).map { offset in
            let seq = first + offset
            let time = Date(timeIntervalSince1970: 1_800_000_000 + Double(seq))
            switch seq % 3 {
            case 0:
                return LogRecord(seq: seq, timestamp: time, body: .event(.textChunk(ChunkDelta(messageId: "msg_\(seq / 10)", delta: "chunk \(seq) ✓"))))
            case 1:
                return LogRecord(seq: seq, timestamp: time, body: .message(Message(id: "msg_\(seq)", role: .user, content: [.text("hello \(seq)")], timestamp: time)))
            default:
                return LogRecord(seq: seq, timestamp: time, body: .inputQueued(QueuedInput(id: "in_\(seq)", text: "input \(seq)")))
            }
        }
    }

    struct Context {
        let name: String
        func expect(_ condition: Bool, _ detail: @autoclosure () -> String) throws {
            if !condition { throw Failure(check: name, detail: detail()) }
        }
        func expectThrows<T>(_ detail: String, _ body: () async throws -> T, matching: (any Error) -> Bool) async throws {
            do {
                _ = try await body()
            } catch {
                if matching(error) { return }
                throw Failure(check: name, detail: "\(detail): threw the wrong error \(error)")
            }
            throw Failure(check: name, detail: "\(detail): did not throw")
        }
    }

    struct Check: Sendable {
        let name: String
        let body: @Sendable (Context, any AgentStore) async throws -> Void
    }

    static let checks: [Check] = [
        Check(name: "createListManifest", body: createListManifest),
        Check(name: "appendReadOrder", body: appendReadOrder),
        Check(name: "recordsAfter", body: recordsAfter),
        Check(name: "seqStrictlyIncreasing", body: seqStrictlyIncreasing),
        Check(name: "forkLineage", body: forkLineage),
        Check(name: "forkOfFork", body: forkOfFork),
        Check(name: "snapshots", body: snapshots),
        Check(name: "forkUsesAncestorSnapshot", body: forkUsesAncestorSnapshot),
        Check(name: "oneWriter", body: oneWriter),
        Check(name: "deleteWithChildrenRefused", body: deleteWithChildrenRefused),
        Check(name: "unknownAgent", body: unknownAgent),
        Check(name: "spawnLink", body: spawnLink),
    ]
}
