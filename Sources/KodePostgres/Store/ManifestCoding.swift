import Foundation
import KodeKernel
import NIOCore

/// Manifests as the file store writes them: JSON with sorted keys, dates in Foundation's own
/// form (seconds since 2001), so they round-trip exactly and copy between stores byte for byte.
package enum ManifestCoding {
    package static func encode(_ manifest: AgentManifest) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(manifest))
    }

    static func decode(_ buffer: ByteBuffer, place: String) throws -> AgentManifest {
        let manifest: AgentManifest
        do {
            manifest = try JSONDecoder().decode(AgentManifest.self, from: Data(buffer.readableBytesView))
        } catch {
            throw StoreError.corrupted(file: place, offset: 0, detail: "manifest does not decode: \(error)")
        }
        guard manifest.formatVersion <= AgentManifest.currentFormatVersion else {
            throw StoreError.unsupportedVersion(file: "\(place) manifest of \(manifest.id)", version: manifest.formatVersion)
        }
        return manifest
    }
}
