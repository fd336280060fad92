import Foundation

/// A socket call that failed, with the path and the system's message.
package struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    package var operation: String
    package var path: String
    package var code: Int32

    package init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    package var description: String {
        "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}
