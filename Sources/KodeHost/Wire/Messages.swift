import Foundation
import KodeKernel

/// The first frame a client sends.
package struct Hello: Codable, Sendable {
    package var type = "hello"
    package var version: Int
    package var client: String
}

/// The host's answer to a good `hello`.
package struct Welcome: Codable, Sendable {
    package var type = "welcome"
    package var version: Int
    package var pid: Int32
    package var store: String
}

/// What every JSON frame starts with; the rest is read by the type this names.
package struct MessageHead: Decodable, Sendable {
    package var type: String
    package var id: UInt32?
    package var op: String?
    package var sub: UInt32?
}

/// A reply to request `id`: exactly one of `result` and `error`.
package struct Reply<Result: Encodable>: Encodable {
    package var type = "reply"
    package var id: UInt32
    package var result: Result
}

package struct ErrorReply: Codable, Sendable {
    package var type = "reply"
    package var id: UInt32
    package var error: WireError
}

/// A reply whose result is read by the type the caller expects.
package struct ReplyEnvelope<Result: Decodable>: Decodable {
    package var id: UInt32
    package var result: Result?
    package var error: WireError?
}

/// An error: a stable `code` for programs and a `message` for people that says what and where.
package struct WireError: Codable, Sendable, Hashable, Error {
    package var code: String
    package var message: String

    package init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// A connection-level error, not tied to a request (a bad frame, a refused peer).
package struct ConnectionError: Codable, Sendable {
    package var type = "error"
    package var code: String
    package var message: String
}

/// A subscription ended on the host's side.
package struct EndOfSubscription: Codable, Sendable {
    package var type = "end"
    package var sub: UInt32
    package var reason: String
}

/// The host is going away (stop or SIGTERM); the client may reconnect to the next one.
package struct Bye: Codable, Sendable {
    package var type = "bye"
    package var reason: String
}

/// Nothing: a reply with an empty result.
package struct Empty: Codable, Sendable {
    package init() {}
}

/// JSON with the conventions of `kode --json` output: ISO-8601 times, sorted keys.
package enum WireJSON {
    package static func encode(_ value: some Encodable) -> [UInt8] {
        // Encoding our own value types cannot fail; if it ever does, say so on the wire.
        do {
            return Array(try EventEnvelope.lineEncoder().encode(value))
        } catch {
            return Array(#"{"type":"error","code":"internal","message":"could not encode a reply"}"#.utf8)
        }
    }

    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try EventEnvelope.lineDecoder().decode(T.self, from: Data(bytes))
    }

    /// `DecodingError` as a sentence naming the field.
    package static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the message" : "field '" + keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            // An empty path is the document itself: not JSON at all, or a value no field can hold.
            if context.codingPath.isEmpty {
                return context.underlyingError != nil ? "not valid JSON" : context.debugDescription
            }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
