import Foundation
import KodeKernel

// The arguments of each request: the fields of the request object besides type, id and op
// (docs/PROTOCOL.md lists them per op).

package struct CreateArgs: Codable, Sendable { package var config: AgentConfig }
package struct OpenArgs: Codable, Sendable {
    package var agent: AgentID
    package var options: OpenOptions?
}
package struct AgentArgs: Codable, Sendable { package var agent: AgentID }
package struct ForkArgs: Codable, Sendable {
    package var agent: AgentID
    package var at: String
}
package struct StateArgs: Codable, Sendable {
    package var agent: AgentID
    package var seq: UInt64?
}
package struct HandleArgs: Codable, Sendable { package var handle: UInt32 }
package struct SendArgs: Codable, Sendable {
    package var handle: UInt32
    package var text: String
}
package struct DecideArgs: Codable, Sendable {
    package var handle: UInt32
    package var callId: String
    package var decision: DecisionKind
    package var note: String?
    package var scope: DecisionScope?
    package var by: String?
}
package struct CheckpointArgs: Codable, Sendable {
    package var handle: UInt32
    package var label: String?
    /// The checkpoint to label (an id or a label); absent: the newest.
    package var at: String?
}
package struct ForkAtArgs: Codable, Sendable {
    package var handle: UInt32
    package var at: String
}
package struct RevokeArgs: Codable, Sendable {
    package var handle: UInt32
    package var rule: String
}
package struct CompactArgs: Codable, Sendable {
    package var handle: UInt32
    package var instructions: String?
}

package struct SetModelArgs: Codable, Sendable {
    package var handle: UInt32
    package var provider: ProviderConfig
    package var by: String?
}
package struct RenameArgs: Codable, Sendable {
    package var handle: UInt32
    package var title: String
    package var by: String?
}
package struct WindowArgs: Codable, Sendable {
    package var handle: UInt32
    package var messages: Int
}
package struct TranscriptArgs: Codable, Sendable {
    package var handle: UInt32
    package var from: Int
    package var to: Int
}
package struct ReleaseArgs: Codable, Sendable {
    package var handle: UInt32
    package var how: Release?
}
package struct SubscribeArgs: Codable, Sendable {
    package var handle: UInt32
    package var channels: [EventChannel]?
    package var since: UInt64?
    package var kinds: [EventType]?
}
package struct UnsubscribeArgs: Codable, Sendable { package var sub: UInt32 }
package struct ScheduleArgs: Codable, Sendable {
    package var handle: UInt32
    package var spec: TriggerSpec
    package var by: String?
}
package struct UnscheduleArgs: Codable, Sendable {
    package var handle: UInt32
    /// A trigger id or name.
    package var trigger: String
    package var by: String?
}
package struct StopArgs: Codable, Sendable { package var graceMs: Int? }

/// A request as the client writes it: the head plus its arguments, flattened.
package struct Request<Args: Encodable>: Encodable {
    package var id: UInt32
    package var op: HostOp
    package var args: Args

    private enum Key: String, CodingKey { case type, id, op }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode("request", forKey: .type)
        try c.encode(id, forKey: .id)
        try c.encode(op, forKey: .op)
        try args.encode(to: encoder)
    }
}

// Results.

package struct ListResult: Codable, Sendable { package var agents: [AgentListing] }
package struct OpenResult: Codable, Sendable {
    package var handle: UInt32
    package var manifest: AgentManifest
}
package struct ManifestResult: Codable, Sendable { package var manifest: AgentManifest }
package struct ChildResult: Codable, Sendable { package var child: AgentID }
package struct StateResult: Codable, Sendable {
    package var manifest: AgentManifest?
    /// The state in the snapshot encoding, base64.
    package var state: String
}
package struct SendResult: Codable, Sendable { package var inputId: String }
package struct CheckpointResult: Codable, Sendable { package var checkpoint: Checkpoint }
package struct StatusResult: Codable, Sendable { package var status: AgentStatus }
package struct ProviderResult: Codable, Sendable { package var provider: ProviderInfo }
package struct TriggerResult: Codable, Sendable { package var trigger: ScheduledTrigger }
package struct TitleResult: Codable, Sendable { package var title: String? }
package struct SubscribeResult: Codable, Sendable {
    package var sub: UInt32
    /// The seq the subscription starts after: the one asked for, or the agent's newest when the
    /// client asked for live events only (a client reconnecting resumes from here at the latest).
    package var since: UInt64
}

/// What `kode serve --status` shows.
package struct HostStatus: Codable, Sendable {
    package struct OpenAgent: Codable, Sendable {
        package var status: AgentStatus
        package var attached: Int
    }
    package var pid: Int32
    package var store: String
    package var started: Date
    package var clients: Int
    package var open: [OpenAgent]
}
