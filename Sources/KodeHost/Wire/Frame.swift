import Foundation

/// One unit on the socket (docs/PROTOCOL.md): `length` (u32, big-endian, counting `kind` and
/// the payload), `kind` (u8), payload.
package struct Frame: Sendable, Hashable {
    package enum Kind: UInt8, Sendable {
        /// A JSON object: handshake, request, reply, end of a subscription, error.
        case message = 1
        /// Pushed events: subscription id (u32, big-endian), then log records.
        case events = 2
    }

    package var kind: Kind
    package var payload: [UInt8]

    package init(kind: Kind, payload: [UInt8]) {
        self.kind = kind
        self.payload = payload
    }

    /// Bytes before the payload.
    package static let headerSize = 5

    /// Appends the framed bytes to `buffer`.
    package func append(to buffer: inout [UInt8]) {
        Frame.appendHeader(kind: kind, payloadCount: payload.count, to: &buffer)
        buffer.append(contentsOf: payload)
    }

    package static func appendHeader(kind: Kind, payloadCount: Int, to buffer: inout [UInt8]) {
        let length = UInt32(payloadCount + 1)
        buffer.append(UInt8(length >> 24))
        buffer.append(UInt8(length >> 16 & 0xFF))
        buffer.append(UInt8(length >> 8 & 0xFF))
        buffer.append(UInt8(length & 0xFF))
        buffer.append(kind.rawValue)
    }

    package var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + Frame.headerSize)
        append(to: &out)
        return out
    }
}
