import NIOCore

/// An incremental decoder for the `text/event-stream` format (the WHATWG HTML "server-sent
/// events" parsing rules), fed raw bytes in whatever pieces the network delivers.
///
/// It handles `data:` lines (several per event, joined with `\n`), `event:`, `id:` (kept across
/// events; ids containing NUL are ignored), `retry:` (digits only), comment lines starting with
/// `:`, the three line endings CRLF, LF and CR (also when a CRLF pair is split between two
/// chunks), a leading UTF-8 byte order mark, and fields or multi-byte UTF-8 characters split
/// across chunks: bytes are buffered until a line is complete and only then decoded as UTF-8.
///
/// One deliberate departure from the browser rules: at the end of the stream (`finish`) a last
/// line without a line ending is still processed and a pending event is still dispatched.
/// Browsers drop it, but API servers and proxies sometimes omit the final blank line, and
/// dropping that event would turn a complete reply (its end marker, its usage) into a cut stream.
package struct SSEDecoder: Sendable {
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let colon: UInt8 = 0x3A
    private static let space: UInt8 = 0x20

    /// Bytes of a line whose end has not arrived yet.
    private var pending: [UInt8] = []
    /// The previous chunk ended in CR, so an LF at the start of the next one belongs to it.
    private var skipLeadingLF = false
    /// Whether the first line was seen (a byte order mark may only open the stream).
    private var sawFirstLine = false
    private var data: [UInt8] = []
    /// The `event:` value of the event being built; `hasEventType` says whether one was given.
    private var eventType: [UInt8] = []
    private var hasEventType = false
    /// The last event name turned into a String: vendors repeat a handful of names, so reusing
    /// the String saves an allocation per event.
    private var cachedNameBytes: [UInt8] = []
    private var cachedName = "message"
    private var retry: Int? = nil
    private var lastEventID: String? = nil

    /// A decoder at the start of a stream.
    package init() {
        pending.reserveCapacity(256)
        data.reserveCapacity(1024)
    }

    /// Decodes the next chunk, appending each completed event to `events`.
    package mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [SSEEvent]) {
        decode(bytes, to: &events)
    }

    /// Decodes the next chunk, handing each completed event to `sink`.
    mutating func decode<Sink: SSEEventSink>(_ bytes: UnsafeRawBufferPointer, to events: inout Sink) {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var index = 0
        if skipLeadingLF {
            skipLeadingLF = false
            if base[0] == Self.lf { index = 1 }
        }
        var lineStart = index
        while true {
            index = Self.lineEnd(base, from: index, count: count)
            guard index < count else { break }
            let byte = base[index]
            let line = UnsafeRawBufferPointer(start: base + lineStart, count: index - lineStart)
            if pending.isEmpty {
                processLine(line, into: &events)
            } else {
                pending.append(contentsOf: line)
                var whole: [UInt8] = []
                swap(&whole, &pending)
                whole.withUnsafeBytes { processLine($0, into: &events) }
                whole.removeAll(keepingCapacity: true)
                swap(&whole, &pending)
            }
            if byte == Self.cr {
                if index + 1 < count {
                    if base[index + 1] == Self.lf { index += 1 }
                } else {
                    skipLeadingLF = true
                }
            }
            index += 1
            lineStart = index
        }
        if lineStart < count {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + lineStart, count: count - lineStart))
        }
    }

    /// Decodes the next chunk given as an array of bytes.
    package mutating func decode(_ bytes: [UInt8], into events: inout [SSEEvent]) {
        bytes.withUnsafeBytes { decode($0, into: &events) }
    }

    /// Decodes the next chunk given as a NIO byte buffer (its readable bytes).
    package mutating func decode(_ buffer: ByteBuffer, into events: inout [SSEEvent]) {
        buffer.withUnsafeReadableBytes { decode($0, into: &events) }
    }

    /// Ends the stream: an unterminated last line is processed and a pending event dispatched.
    package mutating func finish(into events: inout [SSEEvent]) {
        finish(to: &events)
    }

    /// Ends the stream, handing the last events to `sink`.
    mutating func finish<Sink: SSEEventSink>(to events: inout Sink) {
        if !pending.isEmpty {
            var whole: [UInt8] = []
            swap(&whole, &pending)
            whole.withUnsafeBytes { processLine($0, into: &events) }
        }
        dispatch(into: &events)
        skipLeadingLF = false
    }

    private mutating func processLine<Sink: SSEEventSink>(_ rawLine: UnsafeRawBufferPointer, into events: inout Sink) {
        var line = rawLine
        if !sawFirstLine {
            sawFirstLine = true
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeRawBufferPointer(rebasing: line[3...])
            }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == Self.colon { return }
        let nameEnd = line.firstIndex(of: Self.colon) ?? line.count
        var valueStart = Swift.min(nameEnd + 1, line.count)
        if valueStart < line.count, line[valueStart] == Self.space { valueStart += 1 }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<nameEnd])
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        // Field names compared byte by byte: this runs for every line of every stream.
        switch name.count {
        case 4 where name[0] == 0x64 && name[1] == 0x61 && name[2] == 0x74 && name[3] == 0x61:  // data
            data.append(contentsOf: value)
            data.append(Self.lf)
        case 5 where name[0] == 0x65 && name[1] == 0x76 && name[2] == 0x65 && name[3] == 0x6E && name[4] == 0x74:  // event
            eventType.removeAll(keepingCapacity: true)
            eventType.append(contentsOf: value)
            hasEventType = true
        case 2 where name[0] == 0x69 && name[1] == 0x64:  // id
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case 5 where name[0] == 0x72 && name[1] == 0x65 && name[2] == 0x74 && name[3] == 0x72 && name[4] == 0x79:  // retry
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break  // Unknown fields are ignored, as the specification requires.
        }
    }

    private mutating func dispatch<Sink: SSEEventSink>(into events: inout Sink) {
        defer {
            hasEventType = false
            retry = nil
        }
        guard !data.isEmpty else { return }
        data.removeLast()  // the newline appended after the last data line
        var name = "message"
        if hasEventType && !eventType.isEmpty {
            if eventType != cachedNameBytes {
                cachedNameBytes = eventType
                cachedName = String(decoding: eventType, as: UTF8.self)
            }
            name = cachedName
        }
        data.withUnsafeBytes { events.receive(event: name, data: $0, id: lastEventID, retry: retry) }
        data.removeAll(keepingCapacity: true)
    }

    /// The offset of the first CR or LF at or after `start`, or `count` if there is none.
    ///
    /// Lines of streamed JSON are a few hundred bytes long and this scan touches every byte of
    /// the stream, so it tests eight bytes at a time: a byte of `word ^ 0x0A0A…` is zero exactly
    /// where `word` holds an LF, and `(x - 0x0101…) & ~x & 0x8080…` is non-zero exactly when `x`
    /// has a zero byte.
    package static func lineEnd(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let lfs = word ^ (ones &* UInt64(lf))
            let crs = word ^ (ones &* UInt64(cr))
            if ((lfs &- ones) & ~lfs | (crs &- ones) & ~crs) & highs != 0 { break }
            index += 8
        }
        while index < count, base[index] != lf, base[index] != cr { index += 1 }
        return index
    }
}
