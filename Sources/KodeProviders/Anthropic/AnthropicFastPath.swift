@_spi(KodeInternals) import KodeKernel

/// Reads the frequent Anthropic events (`content_block_delta`, `content_block_stop`, `ping`)
/// straight from the chunk's bytes with a `JSONCursor`, in any member order, skipping (but still
/// checking) members it does not need.
///
/// Anything else — another event type, a missing or non-string `type`, a non-integer `index`,
/// a `delta` that is not an object, a typed member of the wrong kind, malformed JSON — gives nil,
/// and the decoder takes its general path, which parses the whole chunk and decides (or reports
/// the error) exactly as it always has.
package enum AnthropicFastPath {
    package static func read(_ data: UnsafeRawBufferPointer, scratch: inout FastJSONParser.Scratch) -> AnthropicBlockEvent? {
        var cursor = JSONCursor(data)
        return try? walk(&cursor, scratch: &scratch)
    }

    private enum Kind { case delta, blockStop, ping }

    /// Throws (so the caller falls back) on anything outside the shapes above.
    private static func walk(_ cursor: inout JSONCursor, scratch: inout FastJSONParser.Scratch) throws -> AnthropicBlockEvent {
        var kind: Kind? = nil
        var index: JSONValue? = nil
        var delta = DeltaFields()
        try cursor.enterObject()
        // A repeated member replaces the earlier one, as it does in the parsed dictionary.
        while let name = try cursor.nextMember() {
            if name.matches("type") {
                let type = try cursor.token()
                if type.matches("content_block_delta") {
                    kind = .delta
                } else if type.matches("content_block_stop") {
                    kind = .blockStop
                } else if type.matches("ping") {
                    kind = .ping
                } else {
                    throw FastPathMiss()
                }
            } else if name.matches("index") {
                index = try cursor.value(scratch: &scratch)
            } else if name.matches("delta") {
                delta = try DeltaFields(&cursor, scratch: &scratch)
            } else {
                try cursor.skipValue()
            }
        }
        try cursor.finish()
        switch kind {
        case .ping:
            return .ping
        case .blockStop:
            guard let index = index?.intValue else { throw FastPathMiss() }
            return .blockStop(index: index)
        case .delta:
            guard let index = index?.intValue, let delta = delta.value else { throw FastPathMiss() }
            return .delta(index: index, delta)
        case nil:
            throw FastPathMiss()
        }
    }

    /// The members of a `delta` object that any delta kind reads.
    private struct DeltaFields {
        var present = false
        var type: JSONCursor.Token? = nil
        var text: JSONValue? = nil
        var thinking: JSONValue? = nil
        var signature: JSONValue? = nil
        var partialJSON: JSONValue? = nil

        init() {}

        init(_ cursor: inout JSONCursor, scratch: inout FastJSONParser.Scratch) throws(FastJSONParser.Failure) {
            present = true
            try cursor.enterObject()
            while let name = try cursor.nextMember() {
                if name.matches("type") {
                    // Only a string type is read here; anything else takes the general path.
                    type = try cursor.token()
                } else if name.matches("text") {
                    text = try cursor.value(scratch: &scratch)
                } else if name.matches("thinking") {
                    thinking = try cursor.value(scratch: &scratch)
                } else if name.matches("signature") {
                    signature = try cursor.value(scratch: &scratch)
                } else if name.matches("partial_json") {
                    partialJSON = try cursor.value(scratch: &scratch)
                } else {
                    try cursor.skipValue()
                }
            }
        }

        /// The delta, with the general path's rules: a member that is not a string counts as
        /// absent; an unknown or missing type carries nothing. Nil when there was no `delta`.
        var value: AnthropicBlockEvent.Delta? {
            guard present else { return nil }
            guard let type else { return AnthropicBlockEvent.Delta.none }
            if type.matches("text_delta") { return text?.stringValue.map { .text($0) } ?? AnthropicBlockEvent.Delta.none }
            if type.matches("thinking_delta") { return thinking?.stringValue.map { .thinking($0) } ?? AnthropicBlockEvent.Delta.none }
            if type.matches("signature_delta") { return signature?.stringValue.map { .signature($0) } ?? AnthropicBlockEvent.Delta.none }
            if type.matches("input_json_delta") { return partialJSON?.stringValue.map { .inputJSON($0) } ?? AnthropicBlockEvent.Delta.none }
            return AnthropicBlockEvent.Delta.none
        }
    }
}
