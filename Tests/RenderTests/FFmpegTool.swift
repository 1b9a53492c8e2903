import Foundation

/// Runs the ffmpeg command-line tools for tests (product code never does).
enum FFmpegTool {
    /// Runs `/usr/bin/<tool>` (one process runner for the tests: `Tool.run`).
    @discardableResult
    static func run(_ arguments: [String], tool: String = "ffmpeg") throws -> Data {
        try Tool.run("/usr/bin/\(tool)", arguments)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("render-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
