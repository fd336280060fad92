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
    /// States this large are mapped rather than read: below it, a read costs less than setting up
    /// and tearing down a mapping.
    static let mapThreshold = 64 * 1024

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

    /// Reads and verifies the snapshot file at `path`. The state goes straight into a buffer that
    /// `Data` takes over: a long conversation's state is megabytes, and reading the file into an
    /// array and then copying the state out of it cost a tenth of opening the agent.
    static func read(_ path: String, io: any FileIO, file: String) throws -> (StoredSnapshot, LogPosition) {
        let fd = try io.open(path, mode: .read)
        defer { io.close(fd) }
        let size = try io.size(fd)
        guard size >= UInt64(headerSize), size - UInt64(headerSize) <= UInt64(Int.max) else {
            throw StoreError.corrupted(file: file, offset: 0, detail: "not a snapshot file (bad header)")
        }
        let header = try io.read(fd, at: 0, count: headerSize)
        let count = Int(size) - headerSize
        if count >= mapThreshold, let data = io.mapped(fd, size: Int(size), from: headerSize) {
            let (seq, position) = try header.withUnsafeBytes { raw in
                try data.withUnsafeBytes { state in try verify(header: raw, state: state, file: file) }
            }
            return (StoredSnapshot(seq: seq, data: data, source: file), position)
        }
        let state = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        var handedOver = false
        defer { if !handedOver { state.deallocate() } }
        let body = UnsafeMutableRawBufferPointer(rebasing: state[0..<count])
        guard try io.read(fd, at: UInt64(headerSize), into: body) == count else {
            throw StoreError.corrupted(file: file, offset: size, detail: "the snapshot file shrank while it was read")
        }
        let (seq, position) = try header.withUnsafeBytes { raw in
            try verify(header: raw, state: UnsafeRawBufferPointer(body), file: file)
        }
        let data = count == 0 ? Data() : Data(bytesNoCopy: state.baseAddress!, count: count, deallocator: .custom { pointer, _ in pointer.deallocate() })
        handedOver = count > 0
        return (StoredSnapshot(seq: seq, data: data, source: file), position)
    }

    /// Checks a snapshot's header and checksum, returning its seq and log position.
    private static func verify(header: UnsafeRawBufferPointer, state: UnsafeRawBufferPointer, file: String) throws -> (UInt64, LogPosition) {
        guard header.count >= headerSize, header.prefix(8).elementsEqual(magic) else {
            throw StoreError.corrupted(file: file, offset: 0, detail: "not a snapshot file (bad header)")
        }
        let fileVersion = header.loadLittleEndian(UInt32.self, at: 8)
        guard fileVersion <= version else { throw StoreError.unsupportedVersion(file: file, version: Int(fileVersion)) }
        let headerSum = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: header[16..<headerSize]))
        guard CRC32C.checksum(state, continuing: headerSum) == header.loadLittleEndian(UInt32.self, at: 12) else {
            throw StoreError.corrupted(file: file, offset: 12, detail: "snapshot checksum mismatch")
        }
        let position = LogPosition(segment: header.loadLittleEndian(UInt32.self, at: 24), offset: header.loadLittleEndian(UInt64.self, at: 32))
        return (header.loadLittleEndian(UInt64.self, at: 16), position)
    }

    /// Decodes and verifies a snapshot file's bytes.
    static func decode(_ bytes: [UInt8], file: String) throws -> (StoredSnapshot, LogPosition) {
        try bytes.withUnsafeBytes { raw in
            guard raw.count >= headerSize else {
                throw StoreError.corrupted(file: file, offset: 0, detail: "not a snapshot file (bad header)")
            }
            let state = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
            let (seq, position) = try verify(header: UnsafeRawBufferPointer(rebasing: raw[0..<headerSize]), state: state, file: file)
            return (StoredSnapshot(seq: seq, data: Data(state), source: file), position)
        }
    }
}
