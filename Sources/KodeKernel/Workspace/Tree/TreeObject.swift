import Foundation

/// One directory of a snapshot: its entries sorted by name, stored as a blob named by the hash
/// of this encoding. Unchanged directories keep their hash, so a step that changed one file
/// stores one content blob plus the tree objects on its path, not the whole tree.
///
///     "KODETREE" | version u32 (1) | list of (name, kind u8, mode u32, size i64, hash, detail, mtime i64, inode u64)
struct TreeObject: Sendable, Hashable {
    static let magic = Array("KODETREE".utf8)
    var entries: [WorkspaceEntry]

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 64 + entries.count * 120)
        for byte in Self.magic { w.u8(byte) }
        w.u32(1)
        w.count(entries.count)
        for entry in entries {
            w.string(entry.name)
            w.u8(entry.kind.rawValue)
            w.u32(entry.mode)
            w.u64(UInt64(bitPattern: entry.size))
            w.string(entry.hash)
            w.string(entry.detail)
            w.u64(UInt64(bitPattern: entry.mtimeNanos))
            w.u64(entry.inode)
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], source: String) throws(WorkspaceIOError) -> TreeObject {
        do throws(BinaryDecodingFailure) {
            return try Self.decode(bytes)
        } catch {
            throw WorkspaceIOError(path: source, message: "damaged tree object: \(error.reason) at byte \(error.offset)", code: 0)
        }
    }

    private static func decode(_ bytes: [UInt8]) throws(BinaryDecodingFailure) -> TreeObject {
        let result: Result<TreeObject, BinaryDecodingFailure> = bytes.withUnsafeBytes { raw in
            Result { () throws(BinaryDecodingFailure) -> TreeObject in
                var r = ByteReader(raw)
                for byte in magic where try r.u8() != byte { throw r.failure("not a tree object") }
                let version = try r.u32()
                guard version == 1 else { throw r.failure("tree object version \(version) is newer than this build") }
                let count = try r.count(minimumSize: 37)
                var entries: [WorkspaceEntry] = []
                entries.reserveCapacity(count)
                for _ in 0..<count {
                    let name = try r.string()
                    let rawKind = try r.u8()
                    guard let kind = WorkspaceEntry.Kind(rawValue: rawKind) else { throw r.failure("unknown entry kind \(rawKind)") }
                    entries.append(WorkspaceEntry(
                        name: name, kind: kind, mode: try r.u32(), size: Int64(bitPattern: try r.u64()),
                        hash: try r.string(), detail: try r.string(),
                        mtimeNanos: Int64(bitPattern: try r.u64()), inode: try r.u64()))
                }
                guard r.remaining == 0 else { throw r.failure("\(r.remaining) bytes after the last entry") }
                return TreeObject(entries: entries)
            }
        }
        return try result.get()
    }
}
