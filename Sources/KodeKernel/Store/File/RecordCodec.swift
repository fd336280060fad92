import Foundation

/// Turns `LogRecord`s into framed log bytes and back.
///
/// seq and timestamp sit in a fixed binary prefix of the payload so readers can skip records by
/// seq without parsing JSON; only the body is JSON (Codable, so every event shape the kernel
/// defines round-trips without a second schema to maintain).
enum RecordCodec {
    /// Appends the framed records to `buffer`, returning each record's seq and end offset in it.
    static func frame(_ records: [LogRecord], into buffer: inout [UInt8]) throws {
        var encoder: JSONEncoder? = nil
        for record in records {
            let start = buffer.count
            // The length is patched in once the body is written.
            buffer.appendLittleEndian(UInt32(0))
            buffer.appendLittleEndian(UInt32(0))
            buffer.append(LogFormat.RecordType.jsonRecord.rawValue)
            buffer.appendLittleEndian(record.seq)
            buffer.appendLittleEndian(record.timestamp.timeIntervalSinceReferenceDate.bitPattern)
            if !ChunkBodyEncoder.append(record.body, to: &buffer) {
                if encoder == nil { encoder = JSONEncoder() }
                buffer.append(contentsOf: try encoder!.encode(record.body))
            }
            let payloadSize = UInt32(buffer.count - start - LogFormat.recordHeaderSize)
            buffer.withUnsafeMutableBytes { $0.storeBytes(of: payloadSize.littleEndian, toByteOffset: start, as: UInt32.self) }
            let crc = buffer.withUnsafeBytes { all in
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[(start + 8)...]))
            }
            buffer.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, toByteOffset: start + 4, as: UInt32.self) }
        }
    }

    /// Decodes one verified payload.
    static func decode(payload: UnsafeRawBufferPointer) throws -> LogRecord {
        let seq = payload.loadLittleEndian(UInt64.self, at: 0)
        let time = Double(bitPattern: payload.loadLittleEndian(UInt64.self, at: 8))
        let body = try JSONDecoder().decode(RecordBody.self, from: Data(payload[LogFormat.payloadPrefixSize...]))
        return LogRecord(seq: seq, timestamp: Date(timeIntervalSinceReferenceDate: time), body: body)
    }
}
