import Foundation

/// Turns `LogRecord`s into framed log bytes and back.
///
/// seq and timestamp sit in a fixed binary prefix of the payload so readers can skip records by
/// seq without decoding bodies. The bodies an agent writes on every step are binary (type 2,
/// `BinaryRecordBody`); the rest are JSON (type 1, `Codable`).
enum RecordCodec {
    /// Appends the framed records to `buffer`.
    /// With `checksums: false` the checksum field stays zero: for stores that keep the payload
    /// without the frame (`RecordBytes`), where the checksum would be computed and thrown away.
    static func frame(_ records: [LogRecord], into buffer: inout [UInt8], checksums: Bool = true) throws {
        var encoder: JSONEncoder? = nil
        var w = ByteWriter(continuing: &buffer)
        defer { w.finish(into: &buffer) }
        for record in records {
            let start = w.bytes.count
            // Length, checksum and type are patched in once the body is written.
            w.u32(0)
            w.u32(0)
            w.u8(0)
            w.u64(record.seq)
            w.double(record.timestamp.timeIntervalSinceReferenceDate)
            let type: LogFormat.RecordType
            if BinaryRecordBody.append(record.body, to: &w) {
                type = .binaryRecord
            } else {
                if encoder == nil {
                    // Sorted keys, for the reason the binary bodies sort theirs (`ByteWriter.json`).
                    let made = JSONEncoder()
                    made.outputFormatting = .sortedKeys
                    encoder = made
                }
                w.raw(try encoder!.encode(record.body))
                type = .jsonRecord
            }
            let payloadSize = w.bytes.count - start - LogFormat.recordHeaderSize
            // A reader takes a longer record for damage: writing one would acknowledge a record
            // that the next open cuts away.
            guard payloadSize <= LogFormat.maxPayloadSize else {
                throw RecordTooLarge(seq: record.seq, payloadSize: payloadSize)
            }
            w.patchRecordHeader(at: start, type: type, checksum: checksums)
        }
    }

    /// Decodes one verified payload of a record of `type`. A reader of many records passes one
    /// `decoder` for all of them (only JSON bodies use it; setting one up costs about as much as
    /// decoding a small record).
    static func decode(payload: UnsafeRawBufferPointer, type: LogFormat.RecordType, decoder: JSONDecoder = JSONDecoder()) throws -> LogRecord {
        let seq = payload.loadLittleEndian(UInt64.self, at: 0)
        let time = Double(bitPattern: payload.loadLittleEndian(UInt64.self, at: 8))
        let bodyBytes = UnsafeRawBufferPointer(rebasing: payload[LogFormat.payloadPrefixSize...])
        let body: RecordBody
        switch type {
        case .binaryRecord:
            do throws(BinaryDecodingFailure) {
                body = try BinaryRecordBody.decode(bodyBytes)
            } catch {
                throw RecordDecodingError(detail: "\(error.reason) at byte \(error.offset) of the body")
            }
        case .jsonRecord:
            // The payload outlives this call and the decoder keeps nothing, so the body is read in
            // place rather than copied into a `Data` first.
            let data = bodyBytes.baseAddress.map { Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: bodyBytes.count, deallocator: .none) } ?? Data()
            do {
                body = try decoder.decode(RecordBody.self, from: data)
            } catch {
                throw RecordDecodingError(detail: "JSON body: \(error)")
            }
        }
        return LogRecord(seq: seq, timestamp: Date(timeIntervalSinceReferenceDate: time), body: body)
    }
}

/// A record larger than a log record may be (`LogFormat.maxPayloadSize`); nothing was written.
struct RecordTooLarge: Error {
    var seq: UInt64
    var payloadSize: Int
}

/// A record whose checksum verified but whose body does not decode (a bug, or a newer build's
/// body shape); readers turn it into `StoreError.corrupted` naming the file and offset.
struct RecordDecodingError: Error {
    var detail: String
}

extension ByteWriter {
    /// Fills in the 9-byte record header that starts at `start`: the payload length, the type
    /// and the CRC-32C of type and payload.
    mutating func patchRecordHeader(at start: Int, type: LogFormat.RecordType, checksum: Bool = true) {
        patch { buffer in
            let payloadSize = UInt32(buffer.count - start - LogFormat.recordHeaderSize)
            buffer.storeBytes(of: payloadSize.littleEndian, toByteOffset: start, as: UInt32.self)
            buffer[start + 8] = type.rawValue
            guard checksum else { return }
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[(start + 8)...]))
            buffer.storeBytes(of: crc.littleEndian, toByteOffset: start + 4, as: UInt32.self)
        }
    }
}
