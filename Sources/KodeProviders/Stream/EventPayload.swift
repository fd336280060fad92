@_spi(KodeInternals) import KodeKernel

/// Parsing a streamed event's JSON payload with an error that names the event.
enum EventPayload {
    /// Parses `data` as JSON or throws `ModelError(.malformed)` naming the vendor, the event and
    /// the byte offset (never the payload itself, which may be long).
    static func parse(
        _ data: UnsafeRawBufferPointer, event: String, vendor: String, skipping skipped: FastJSONParser.SkippedKeys = .none,
        scratch: inout FastJSONParser.Scratch
    ) throws(ModelError) -> JSONValue {
        do {
            return try FastJSONParser.parse(data, skipping: skipped, scratch: &scratch)
        } catch {
            throw ModelError(.malformed, "\(vendor): malformed JSON in the '\(event)' event (\(error.description))")
        }
    }
}

extension JSONValue {
    /// The integer at `key`, or 0: usage counters the vendor left out count as zero.
    func count(_ key: String) -> Int { self[key]?.intValue ?? 0 }
}
