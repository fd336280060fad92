import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hosts of a `NO_PROXY` value, reached without the proxy.
///
/// Entries are separated by commas (or spaces). `*` alone matches every host. A name matches
/// itself and every subdomain (`example.com` and `.example.com` both match `api.example.com`; a
/// leading `*.` is read as `.`). An IP address matches itself, and `address/bits` matches a
/// network (IPv4 or IPv6). An entry may end in `:port` to match that port only. Names compare
/// without regard to case.
public struct NoProxyList: Sendable, Hashable {
    enum Entry: Sendable, Hashable {
        case everything
        /// A host name (lowercased, no leading dot) or an address written as text.
        case name(String, port: Int?)
        /// A network: its address bytes and how many leading bits must match.
        case network([UInt8], bits: Int)
    }

    let entries: [Entry]

    /// Parses a `NO_PROXY` value; entries that cannot be understood are left out.
    public init(_ value: String) {
        entries = value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).compactMap { Self.entry(String($0)) }
    }

    /// Whether a request to `host` (lowercase, without brackets) on `port` skips the proxy.
    public func contains(host rawHost: String, port: Int) -> Bool {
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let address = Self.addressBytes(host)
        for entry in entries {
            switch entry {
            case .everything:
                return true
            case .name(let name, let entryPort):
                if let entryPort, entryPort != port { continue }
                if host == name || (address == nil && host.hasSuffix("." + name)) { return true }
                if let address, let other = Self.addressBytes(name), address == other { return true }
            case .network(let network, let bits):
                if let address, address.count == network.count, Self.prefix(address, network, bits: bits) { return true }
            }
        }
        return false
    }

    private static func entry(_ raw: String) -> Entry? {
        var text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "*" { return .everything }
        if text.hasPrefix("*.") { text.removeFirst() }
        while text.hasPrefix(".") { text.removeFirst() }
        guard !text.isEmpty else { return nil }
        if let slash = text.firstIndex(of: "/") {
            guard let bytes = addressBytes(String(text[..<slash])), let bits = Int(text[text.index(after: slash)...]),
                (0...bytes.count * 8).contains(bits)
            else { return nil }
            return .network(bytes, bits: bits)
        }
        // `host:port`, `[v6]:port`, or a bare IPv6 address (several colons, no port).
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let inside = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            let port = rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil
            return .name(inside, port: port)
        }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) {
            return .name(String(text[..<colon]), port: port)
        }
        return .name(text, port: nil)
    }

    /// The bytes of an IPv4 or IPv6 address written as text, or nil for a name.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    private static func prefix(_ address: [UInt8], _ network: [UInt8], bits: Int) -> Bool {
        var remaining = bits
        for index in 0..<address.count where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if address[index] & mask != network[index] & mask { return false }
            remaining -= take
        }
        return true
    }
}
