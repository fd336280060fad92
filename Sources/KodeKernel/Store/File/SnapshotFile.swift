import Foundation

/// The snapshot file format: `snapshots/<seq, 20 digits>.snap`, written atomically.
///
///     "KODESNAP" | version u32 | CRC-32C of everything after this field u32 |
///     seq u64 | segment u32 | reserved u32 | offset u64 | data
///
/// `segment`/`offset` is where the record `seq` ends in the agent's own log, so opening reads
/// only the log after it.
enum SnapshotFile {
    static let magic: [UInt8] = Array("KODESNAP".utf8)
    static let version: UInt32 = 1
    static let headerSize = 40

    static func name(seq: UInt64) -> String {
        let digits = String(seq)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".snap"
    }

    static func seq(fromName name: String) -> UInt64? {
        guard name.hasSuffix(".snap"), name.count == 25 else { return nil }
        return UInt64(name.prefix(20))
    }

    static func encode(_ snapshot: StoredSnapshot, position: LogPosition) -> [UInt8] {
        var bytes = magic
        bytes.reserveCapacity(headerSize + snapshot.data.count)
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(snapshot.seq)
        bytes.appendLittleEndian(position.segment)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(position.offset)
        bytes.append(contentsOf: snapshot.data)
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[16...])) }
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, toByteOffset: 12, as: UInt32.self) }
        return bytes
    }

    /// Decodes and verifies a snapshot file's bytes.
    static func decode(_ bytes: [UInt8], file: String) throws -> (StoredSnapshot, LogPosition) {
        try bytes.withUnsafeBytes { raw in
            guard raw.count >= headerSize, raw.prefix(8).elementsEqual(magic) else {
                throw StoreError.corrupted(file: file, offset: 0, detail: "not a snapshot file (bad header)")
            }
            let fileVersion = raw.loadLittleEndian(UInt32.self, at: 8)
            guard fileVersion <= version else { throw StoreError.unsupportedVersion(file: file, version: Int(fileVersion)) }
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[16...])) == raw.loadLittleEndian(UInt32.self, at: 12) else {
                throw StoreError.corrupted(file: file, offset: 12, detail: "snapshot checksum mismatch")
            }
            let snapshot = StoredSnapshot(seq: raw.loadLittleEndian(UInt64.self, at: 16), data: Data(raw[headerSize...]), source: file)
            let position = LogPosition(segment: raw.loadLittleEndian(UInt32.self, at: 24), offset: raw.loadLittleEndian(UInt64.self, at: 32))
            return (snapshot, position)
        }
    }
}
