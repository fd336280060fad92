import Foundation

/// The figures `scripts/bench-langgraph.py` prints (keys in snake case there).
struct LangGraphFigures: Decodable {
    var langgraphVersion: String
    var checkpointSqliteVersion: String
    var journalMode: String
    var synchronous: String
    var syncsEveryCommit: Bool
    var method: String
    var turnsRequested: Int
    var turnsWritten: Int
    var stoppedBy: String
    var writeTotalS: Double
    var writePerTurnMs: Double
    var writeLast100TurnsMs: Double
    var bytesOnDisk: Int
    var loadLatestMs: Double
    var forkMs: Double
    var messagesLoaded: Int
    var fullLoadLatestMs: Double
    var fullForkMs: Double
    var fullMessagesLoaded: Int
}

/// Why the LangGraph side could not be measured.
struct LangGraphUnavailable: Error, CustomStringConvertible {
    var description: String
}

/// Runs the LangGraph script with `python3` from `PATH` and decodes its JSON.
struct LangGraphRunner {
    var script: String
    var turns: Int
    var runs: Int
    var maxWriteSeconds: Int

    func run() throws -> LangGraphFigures {
        guard FileManager.default.fileExists(atPath: script) else {
            throw LangGraphUnavailable(description: "\(script) not found (run from the repository root or pass --script)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--turns", String(turns), "--runs", String(runs), "--max-write-seconds", String(maxWriteSeconds)]
        let stdout = Pipe()
        process.standardOutput = stdout
        // Progress and pip's messages go straight to our stderr.
        process.standardError = FileHandle.standardError
        print("running \(script) (installs LangGraph from PyPI into .build/bench-venv on first use)…")
        do {
            try process.run()
        } catch {
            throw LangGraphUnavailable(description: "cannot start python3: \(error)")
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if let failure = try? JSONDecoder().decode([String: String].self, from: output), let message = failure["error"] {
            throw LangGraphUnavailable(description: message)
        }
        guard process.terminationStatus == 0 else {
            throw LangGraphUnavailable(description: "\(script) exited with status \(process.terminationStatus)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(LangGraphFigures.self, from: output)
        } catch {
            let text = String(decoding: output.prefix(300), as: UTF8.self)
            throw LangGraphUnavailable(description: "\(script) printed unexpected output (\(error)): \(text.debugDescription)")
        }
    }
}
