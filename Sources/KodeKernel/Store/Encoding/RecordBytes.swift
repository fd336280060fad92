import Foundation

/// One record as a store that is not a file keeps it: the record type and the payload exactly as
/// the file store frames them (docs/STORE-FORMAT.md, "Segments and records"), without the length
/// and checksum a file needs. Sharing the codec keeps every store's record bytes identical.
package struct EncodedRecord: Sendable, Hashable {
    package var seq: UInt64
    /// 1 = JSON body, 2 = binary body.
    package var type: UInt8
    /// seq, timestamp and body.
    package var payload: [UInt8]

    package init(seq: UInt64, type: UInt8, payload: [UInt8]) {
        self.seq = seq
        self.type = type
        self.payload = payload
    }
}

/// The record codec for stores outside the kernel (PostgreSQL).
package enum RecordBytes {
    /// Encodes records with the file store's codec. Throws `StoreError.io` for a record larger
    /// than a log record may be.
    package static func encode(_ records: [LogRecord]) throws -> [EncodedRecord] {
        var buffer: [UInt8] = []
        do {
            try RecordCodec.frame(records, into: &buffer, checksums: false)
        } catch let error as RecordTooLarge {
            throw StoreError.io(path: "record \(error.seq)", message: "a record of \(error.payloadSize) bytes is larger than a log record may be (\(LogFormat.maxPayloadSize)); nothing was written")
        }
        var result: [EncodedRecord] = []
        result.reserveCapacity(records.count)
        var offset = 0
        for record in records {
            let length = buffer.withUnsafeBytes { Int($0.loadLittleEndian(UInt32.self, at: offset)) }
            let start = offset + LogFormat.recordHeaderSize
            result.append(EncodedRecord(seq: record.seq, type: buffer[offset + 8], payload: Array(buffer[start..<(start + length)])))
            offset = start + length
        }
        return result
    }

    /// Decodes one stored record. `where` names it in the error (`StoreError.corrupted`).
    package static func decode(type: UInt8, payload: UnsafeRawBufferPointer, decoder: JSONDecoder, where place: String) throws -> LogRecord {
        guard let recordType = LogFormat.RecordType(rawValue: type) else {
            throw StoreError.unsupportedVersion(file: place, version: Int(type))
        }
        guard payload.count >= LogFormat.payloadPrefixSize else {
            throw StoreError.corrupted(file: place, offset: 0, detail: "a payload of \(payload.count) bytes is shorter than seq and timestamp")
        }
        do {
            return try RecordCodec.decode(payload: payload, type: recordType, decoder: decoder)
        } catch let error as RecordDecodingError {
            throw StoreError.corrupted(file: place, offset: 0, detail: error.detail)
        }
    }
}
