import Foundation

/// Envelopes in the store's own record encoding (docs/STORE-FORMAT.md), for a host pushing
/// events to its clients: the bodies written on every step are binary, so a client decodes an
/// event for a fraction of what JSON would cost, and the format is already documented and tested.
package enum EnvelopeWire {
    /// Appends each envelope as one framed log record (length, checksum, type, payload).
    package static func append(_ envelopes: some Sequence<EventEnvelope>, to buffer: inout [UInt8]) throws {
        try RecordCodec.frame(envelopes.map { LogRecord(seq: $0.seq, timestamp: $0.timestamp, body: .event($0.event)) }, into: &buffer)
    }

    /// Decodes records framed by ``append(_:to:)``; each checksum is verified, so damage is an
    /// error naming the offset rather than a wrong event.
    package static func decode(_ bytes: UnsafeRawBufferPointer, agentId: AgentID) throws -> [EventEnvelope] {
        var envelopes: [EventEnvelope] = []
        var offset = 0
        let header = LogFormat.recordHeaderSize
        while offset < bytes.count {
            guard bytes.count - offset >= header + LogFormat.payloadPrefixSize else {
                throw EnvelopeWireError(offset: offset, detail: "truncated record header")
            }
            let length = Int(bytes.loadLittleEndian(UInt32.self, at: offset))
            let crc = bytes.loadLittleEndian(UInt32.self, at: offset + 4)
            guard length >= LogFormat.payloadPrefixSize, length <= bytes.count - offset - header else {
                throw EnvelopeWireError(offset: offset, detail: "record length \(length) out of range")
            }
            let typed = UnsafeRawBufferPointer(rebasing: bytes[(offset + 8)..<(offset + header + length)])
            guard CRC32C.checksum(typed) == crc else { throw EnvelopeWireError(offset: offset, detail: "checksum mismatch") }
            guard let type = LogFormat.RecordType(rawValue: bytes[offset + 8]) else {
                throw EnvelopeWireError(offset: offset, detail: "unknown record type \(bytes[offset + 8])")
            }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[(offset + header)..<(offset + header + length)])
            let record: LogRecord
            do {
                record = try RecordCodec.decode(payload: payload, type: type)
            } catch {
                throw EnvelopeWireError(offset: offset, detail: "\(error)")
            }
            guard let envelope = record.envelope(agentId: agentId) else {
                throw EnvelopeWireError(offset: offset, detail: "record \(record.seq) is not an event")
            }
            envelopes.append(envelope)
            offset += header + length
        }
        return envelopes
    }
}

/// Bytes that are not envelopes framed by ``EnvelopeWire``.
package struct EnvelopeWireError: Error, CustomStringConvertible {
    package var offset: Int
    package var detail: String
    package var description: String { "bad event record at byte \(offset): \(detail)" }
}

/// An agent's whole state in the snapshot encoding (docs/STORE-FORMAT.md), for a host handing
/// a client the state a view is built from.
package enum StateWire {
    package static func encode(_ state: AgentState) -> [UInt8] { StateSnapshotCodec.encode(state) }

    package static func decode(_ bytes: [UInt8]) throws -> AgentState {
        try bytes.withUnsafeBytes { raw in
            do throws(BinaryDecodingFailure) {
                return try StateSnapshotCodec.decode(raw)
            } catch {
                throw EnvelopeWireError(offset: error.offset, detail: error.reason)
            }
        }
    }
}
