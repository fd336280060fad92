import Foundation

/// Rooms as files: `<directory>/<name>.log`, one entry per line as `<crc32c, 8 hex digits>
/// <JSON>\n`, each append synced before it returns. A line cut by a crash at the very end is cut
/// back on open; a bad line anywhere else refuses to open, naming the file and the line.
public struct FileRoomStore: RoomStore {
    /// The directory of the room logs.
    public let directory: URL
    let io: any FileIO

    public init(directory: URL, io: any FileIO = PosixFileIO()) {
        self.directory = directory.standardizedFileURL
        self.io = io
    }

    func path(_ name: String) -> String { directory.path + "/" + name + ".log" }

    public func names() throws -> [String] {
        guard io.exists(directory.path) else { return [] }
        do {
            return try io.contentsOfDirectory(directory.path).filter { $0.hasSuffix(".log") }.map { String($0.dropLast(4)) }.sorted()
        } catch {
            throw RoomError.storage(path: directory.path, message: "cannot list the rooms: \(error)")
        }
    }

    public func create(_ name: String, time: Date) throws -> any RoomLog {
        try RoomNames.validate(name, kind: "room")
        let path = path(name)
        let fd: Int32
        do {
            _ = try io.makeDirectory(directory.path)
            fd = try io.open(path, mode: .createNew)
        } catch let error as FileIOError where error.code == EEXIST {
            throw RoomError.roomExists(name)
        } catch {
            throw RoomError.storage(path: path, message: "cannot create: \(error)")
        }
        let log = try FileRoomLog(io: io, fd: fd, path: path, room: name, entries: [], end: 0)
        try log.append([.created(name: name, time: time)])
        do {
            try io.syncDirectory(directory.path)
        } catch {
            log.close()
            throw RoomError.storage(path: directory.path, message: "cannot sync the directory: \(error)")
        }
        return log
    }

    public func open(_ name: String) throws -> any RoomLog {
        try RoomNames.validate(name, kind: "room")
        let path = path(name)
        guard io.exists(path) else { throw RoomError.unknownRoom(name, available: (try? names()) ?? []) }
        let fd: Int32
        do {
            fd = try io.open(path, mode: .readWrite)
        } catch {
            throw RoomError.storage(path: path, message: "cannot open: \(error)")
        }
        do {
            let bytes = try io.read(fd, at: 0, count: Int(try io.size(fd)))
            let (entries, goodEnd) = try RoomLogLines.decode(bytes, path: path)
            if goodEnd < UInt64(bytes.count) {
                // A torn last line: the append it belonged to never returned.
                try io.truncate(fd, to: goodEnd)
                try io.sync(fd)
            }
            return try FileRoomLog(io: io, fd: fd, path: path, room: name, entries: entries, end: goodEnd)
        } catch let error as RoomError {
            io.close(fd)
            throw error
        } catch {
            io.close(fd)
            throw RoomError.storage(path: path, message: "\(error)")
        }
    }

    public func entries(of name: String) throws -> [RoomEntry] {
        try RoomNames.validate(name, kind: "room")
        let path = path(name)
        guard io.exists(path) else { throw RoomError.unknownRoom(name, available: (try? names()) ?? []) }
        do {
            return try RoomLogLines.decode(try io.readFile(path), path: path).entries
        } catch let error as RoomError {
            throw error
        } catch {
            throw RoomError.storage(path: path, message: "cannot read: \(error)")
        }
    }
}

/// A room log file open for appending, holding its lock.
final class FileRoomLog: RoomLog, @unchecked Sendable {
    // Unchecked: `end` is only touched by `append`, which the owning `Room` calls one at a
    // time (under its gate), off the cooperative pool.
    let io: any FileIO
    let fd: Int32
    let path: String
    let entries: [RoomEntry]
    var end: UInt64
    var location: String { path }

    init(io: any FileIO, fd: Int32, path: String, room: String, entries: [RoomEntry], end: UInt64) throws {
        self.io = io
        self.fd = fd
        self.path = path
        self.entries = entries
        self.end = end
        let locked: Bool
        do {
            locked = try io.tryLock(fd)
        } catch {
            io.close(fd)
            throw RoomError.storage(path: path, message: "cannot lock: \(error)")
        }
        guard locked else {
            io.close(fd)
            throw RoomError.locked(room: room, path: path)
        }
    }

    func append(_ entries: [RoomEntry]) throws {
        guard !entries.isEmpty else { return }
        var bytes: [UInt8] = []
        for entry in entries { bytes += try RoomLogLines.encode(entry) }
        do {
            try bytes.withUnsafeBytes { try io.write(fd, $0, at: end) }
            try io.sync(fd)
        } catch {
            throw RoomError.storage(path: path, message: "cannot append: \(error)")
        }
        end += UInt64(bytes.count)
    }

    func close() { io.close(fd) }
}

/// The line format of a room log.
enum RoomLogLines {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func encode(_ entry: RoomEntry) throws -> [UInt8] {
        let json = Array(try encoder().encode(entry))
        let crc = CRC32C.checksum(json)
        var line = Array(String(format: "%08x ", crc).utf8)
        line += json
        line.append(0x0A)
        return line
    }

    /// The entries and the length of the good prefix (shorter than `bytes` only when the last
    /// line is torn).
    static func decode(_ bytes: [UInt8], path: String) throws -> (entries: [RoomEntry], goodEnd: UInt64) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        var entries: [RoomEntry] = []
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            guard let newline = bytes[start...].firstIndex(of: 0x0A) else {
                return (entries, UInt64(start)) // torn: the final newline never made it
            }
            let line = bytes[start..<newline]
            let entry: RoomEntry? = {
                guard line.count > 9, line[line.startIndex + 8] == 0x20,
                      let stored = UInt32(String(decoding: line.prefix(8), as: UTF8.self), radix: 16) else { return nil }
                let json = Array(line.dropFirst(9))
                guard CRC32C.checksum(json) == stored else { return nil }
                return try? decoder.decode(RoomEntry.self, from: Data(json))
            }()
            guard let entry else {
                if newline == bytes.count - 1 { return (entries, UInt64(start)) } // a torn last line
                throw RoomError.storage(path: path, message: "line \(lineNumber) (byte offset \(start)) is corrupt; the room cannot be opened")
            }
            entries.append(entry)
            start = newline + 1
        }
        return (entries, UInt64(start))
    }
}
