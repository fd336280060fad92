import Foundation

/// Snapshots: the state encoded (`StateSnapshotCodec`), and the state rebuilt from a snapshot
/// plus the records after it.
///
/// Snapshots written before the binary encoding hold the state as JSON (they start with `{`);
/// they are still read, through `Codable`, so an agent stored by an older build opens unchanged
/// and gets a binary snapshot the next time one is written.
extension AgentState {
    /// Snapshot bytes.
    public func encoded() throws -> Data {
        Data(StateSnapshotCodec.encode(self))
    }

    /// Decodes snapshot bytes. `source` names where they came from in errors.
    public static func decode(_ data: Data, source: String? = nil) throws -> AgentState {
        try withState(data, source: source) { bytes throws(BinaryDecodingFailure) in try StateSnapshotCodec.decode(bytes) } json: { decoder in
            try decoder.decode(AgentState.self, from: Self.withLaterFields(data))
        }
    }

    /// A JSON state (from builds before the binary one) with the fields added since filled in
    /// empty, because the synthesized decoder needs every key.
    private static func withLaterFields(_ data: Data) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return data }
        var added = false
        for key in ["instructions", "toolManuals"] where object[key] == nil {
            object[key] = [Any]()
            added = true
        }
        if object["schedule"] == nil {
            object["schedule"] = [String: Any]()
            added = true
        }
        return added ? try JSONSerialization.data(withJSONObject: object) : data
    }

    /// Only the checkpoints and position of a snapshot: forking needs no conversation.
    static func decodeCheckpoints(_ data: Data, source: String? = nil) throws -> (checkpoints: [Checkpoint], lastSeq: UInt64) {
        struct Partial: Decodable {
            var checkpoints: [Checkpoint]
            var lastSeq: UInt64
        }
        return try withState(data, source: source) { bytes throws(BinaryDecodingFailure) in
            try StateSnapshotCodec.decodeCheckpoints(bytes)
        } json: { decoder in
            let partial = try decoder.decode(Partial.self, from: data)
            return (partial.checkpoints, partial.lastSeq)
        }
    }

    /// The conversation of a stored history, without rebuilding the rest of the state: the
    /// snapshot's messages section (the others are skipped by length), then later messages.
    public static func conversation(of history: AgentHistory) throws -> [Message] {
        struct Partial: Decodable {
            var messages: [Message]
            var lastSeq: UInt64
        }
        var messages: [Message] = []
        var after: UInt64 = 0
        if let snapshot = history.snapshot {
            (messages, after) = try withState(snapshot.data, source: snapshot.source ?? "the snapshot at seq \(snapshot.seq)") { bytes throws(BinaryDecodingFailure) in
                try StateSnapshotCodec.decodeMessages(bytes)
            } json: { decoder in
                let partial = try decoder.decode(Partial.self, from: snapshot.data)
                return (partial.messages, partial.lastSeq)
            }
        }
        for record in history.records where record.seq > after {
            switch record.body {
            case .message(let message): messages.append(message)
            // A rewind puts the conversation back to a checkpoint: only the whole fold knows
            // which messages that leaves (rare, so the slow path is fine).
            case .conversationRewound: return try rebuild(from: history).messages
            default: break
            }
        }
        return messages
    }

    /// True for a binary state this build reads, false for something else (the JSON of older
    /// builds); throws for a binary state it cannot read.
    private static func isReadableBinary(_ bytes: UnsafeRawBufferPointer, source: String) throws(SnapshotError) -> Bool {
        guard StateSnapshotCodec.isBinary(bytes) else { return false }
        guard let version = StateSnapshotCodec.storedVersion(bytes) else {
            throw .unreadable(source: source, offset: bytes.count, detail: "the header ends early")
        }
        guard (StateSnapshotCodec.oldestReadable...StateSnapshotCodec.version).contains(version) else {
            throw .unsupportedVersion(source: source, version: Int(version), newestReadable: Int(StateSnapshotCodec.version))
        }
        return true
    }

    /// Writes the conversation of a stored history as export JSON (`ConversationJSONWriter`'s
    /// shape), flushing `out` through `flush` every `limit` bytes. The same output as writing
    /// `conversation(of:)`, but the snapshot's messages go from its bytes to the output without
    /// being decoded (`ByteReader.writeMessageJSON`).
    package static func writeConversationJSON(
        of history: AgentHistory, into out: inout [UInt8], flushingAt limit: Int, _ flush: (inout [UInt8]) throws -> Void
    ) throws {
        // A rewind after the snapshot changes which of its messages remain: the whole fold decides.
        guard let snapshot = history.snapshot,
              !history.records.contains(where: { record in
                  guard record.seq > snapshot.seq, case .conversationRewound = record.body else { return false }
                  return true
              })
        else {
            return try ConversationJSONWriter.write(try conversation(of: history), into: &out, flushingAt: limit, flush)
        }
        let source = snapshot.source ?? "the snapshot at seq \(snapshot.seq)"
        var document = ConversationJSONWriter.Document()
        let written: UInt64? = try snapshot.data.withUnsafeBytes { bytes in
            guard try isReadableBinary(bytes, source: source) else { return nil }
            func unreadable(_ error: BinaryDecodingFailure) -> SnapshotError {
                .unreadable(source: source, offset: error.offset, detail: error.reason)
            }
            // The checksum was verified when the snapshot was read, so damage here is a format
            // bug, not a bad disk: it stops the export with an error after what was written.
            var section: (reader: ByteReader, count: Int, bounds: ByteReader.SectionBounds, lastSeq: UInt64)
            do throws(BinaryDecodingFailure) { section = try StateSnapshotCodec.messagesSection(bytes) } catch { throw unreadable(error) }
            document.start(into: &out)
            for _ in 0..<section.count {
                do throws(BinaryDecodingFailure) { try section.reader.writeMessageJSON(into: &out, document: &document) } catch { throw unreadable(error) }
                if out.count >= limit { try flush(&out) }
            }
            do throws(BinaryDecodingFailure) { try section.reader.leave(section.bounds) } catch { throw unreadable(error) }
            return section.lastSeq
        }
        guard let lastSeq = written else {
            return try ConversationJSONWriter.write(try conversation(of: history), into: &out, flushingAt: limit, flush)
        }
        for record in history.records where record.seq > lastSeq {
            guard case .message(let message) = record.body else { continue }
            document.write(message, into: &out)
            if out.count >= limit { try flush(&out) }
        }
        document.end(into: &out)
        try flush(&out)
    }

    /// Rebuilds state from a store history: the snapshot, then every later record.
    public static func rebuild(from history: AgentHistory) throws -> AgentState {
        var state: AgentState
        if let snapshot = history.snapshot {
            state = try AgentState.decode(snapshot.data, source: snapshot.source ?? "the snapshot at seq \(snapshot.seq)")
            state.id = history.manifest.id
        } else {
            state = AgentState(id: history.manifest.id)
        }
        for record in history.records where record.seq > state.lastSeq {
            state.apply(record)
        }
        return state
    }

    /// Dispatches on the encoding (binary, or the JSON of older snapshots) and turns failures
    /// into `SnapshotError`s that name the source.
    private static func withState<T>(
        _ data: Data, source: String?,
        binary: (UnsafeRawBufferPointer) throws(BinaryDecodingFailure) -> T,
        json: (JSONDecoder) throws -> T
    ) throws -> T {
        let source = source ?? "snapshot"
        let result: Result<T, SnapshotError>? = data.withUnsafeBytes { bytes in
            do throws(SnapshotError) {
                guard try isReadableBinary(bytes, source: source) else { return nil }
            } catch {
                return .failure(error)
            }
            do throws(BinaryDecodingFailure) {
                return .success(try binary(bytes))
            } catch {
                return .failure(.unreadable(source: source, offset: error.offset, detail: error.reason))
            }
        }
        if let result { return try result.get() }
        guard data.first == UInt8(ascii: "{") else {
            throw SnapshotError.unreadable(source: source, offset: 0, detail: "neither a binary state (KODESTAT) nor a JSON one")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try json(decoder)
        } catch {
            throw SnapshotError.unreadable(source: source, offset: 0, detail: "JSON state: \(error)")
        }
    }
}
