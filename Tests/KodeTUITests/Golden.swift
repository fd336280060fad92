import Foundation
import Testing

/// Golden screen snapshots under `Tests/KodeTUITests/Golden/`. With `KODE_UPDATE_GOLDEN=1` the
/// files are (re)written instead of compared.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ name: String, _ screen: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = directory.appendingPathComponent(name + ".txt")
        let text = screen + "\n"
        if ProcessInfo.processInfo.environment["KODE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            return
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            Issue.record("missing golden \(file.lastPathComponent): run with KODE_UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != text {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record("""
                golden \(name) differs at line \(firstDiff + 1):
                  want: \(firstDiff < want.count ? String(want[firstDiff]) : "<end>")
                  got:  \(firstDiff < got.count ? String(got[firstDiff]) : "<end>")
                (KODE_UPDATE_GOLDEN=1 rewrites the snapshot)
                """, sourceLocation: sourceLocation)
        }
    }
}
