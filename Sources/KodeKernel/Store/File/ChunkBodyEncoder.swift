import Foundation

/// Writes the JSON of streaming-chunk records by hand.
///
/// Text and thinking chunks are most of a log (one per streamed token group), and
/// `JSONEncoder` spends several microseconds on each, which caps group commit far below the
/// disk's ability. Their shape is fixed and tiny, so this writes the same JSON the `Codable`
/// conformance would (`{"kind":"event","event":{"type":…,"messageId":…,"delta":…}}`, keys in
/// any order being fine for the decoder) straight into the log buffer. Every other record goes
/// through `JSONEncoder`. Reading always uses the standard decoder, so a mistake here would show
/// up as a decoding failure in tests, never as silently different data.
enum ChunkBodyEncoder {
    /// Appends the body's JSON to `buffer` and returns true, or returns false (buffer untouched)
    /// when the body is not a chunk event.
    static func append(_ body: RecordBody, to buffer: inout [UInt8]) -> Bool {
        guard case .event(let event) = body else { return false }
        switch event {
        case .textChunk(let chunk), .thinkChunk(let chunk):
            open(event.type, to: &buffer)
            appendString(chunk.messageId, to: &buffer)
            buffer.append(contentsOf: #","delta":"#.utf8)
            appendString(chunk.delta, to: &buffer)
        case .textChunkStart(let boundary), .textChunkEnd(let boundary), .thinkChunkStart(let boundary), .thinkChunkEnd(let boundary):
            open(event.type, to: &buffer)
            appendString(boundary.messageId, to: &buffer)
        default:
            return false
        }
        buffer.append(contentsOf: "}}".utf8)
        return true
    }

    private static func open(_ type: EventType, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: #"{"kind":"event","event":{"type":""#.utf8)
        buffer.append(contentsOf: type.rawValue.utf8)
        buffer.append(contentsOf: #"","messageId":"#.utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal: quotes, backslashes and control characters escaped, all other
    /// UTF-8 copied as is (valid JSON, and exactly what a decoder reads back).
    static func appendString(_ string: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): buffer.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): buffer.append(contentsOf: #"\\"#.utf8)
                case 0x0A: buffer.append(contentsOf: #"\n"#.utf8)
                case 0x0D: buffer.append(contentsOf: #"\r"#.utf8)
                case 0x09: buffer.append(contentsOf: #"\t"#.utf8)
                default:
                    buffer.append(contentsOf: #"\u00"#.utf8)
                    buffer.append(hex[Int(byte >> 4)])
                    buffer.append(hex[Int(byte & 0xF)])
                }
                runStart = index + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
