/// The protocol spoken on the host socket (docs/PROTOCOL.md). A host and a client agree on one
/// version in the handshake; either side refuses any other with a message naming both.
package enum ProtocolVersion {
    package static let current = 1
    /// Requests are small (the largest is a message a person typed); a bigger frame is garbage.
    package static let maxRequestFrame = 16 << 20
    /// Replies may carry a whole agent state.
    package static let maxReplyFrame = 1 << 30
}
