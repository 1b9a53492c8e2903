import Foundation

/// The cues of an SRT or WebVTT file: plain text with times relative to the file's start.
public struct Captions: Sendable, Hashable {
    /// One subtitle: shown from `start` until `end` (seconds), `text` without markup, lines split by `\n`.
    public struct Cue: Sendable, Hashable {
        public var start: Double
        public var end: Double
        public var text: String

        public init(start: Double, end: Double, text: String) {
            self.start = start
            self.end = end
            self.text = text
        }
    }

    /// In order of `start` (file order among equal starts).
    public var cues: [Cue]

    public init(cues: [Cue]) {
        self.cues = cues
    }

    /// Largest captions file read (a feature film's subtitles are well under 1 MiB).
    public static let maxBytes = 16 * 1_048_576

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(RenderError) -> Captions {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .io("cannot read captions file \(URL(fileURLWithPath: path).lastPathComponent)") }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw .io("cannot read captions file \(URL(fileURLWithPath: path).lastPathComponent): \(error.localizedDescription)")
        }
        return try parse(data)
    }

    /// True when `prefix` (a file's first bytes) starts like WebVTT (`WEBVTT`) or SRT (a cue number
    /// line, then a timing line with `-->`).
    public static func looksLikeCaptions(_ prefix: Data) -> Bool {
        var text = String(decoding: prefix.prefix(512), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.hasPrefix("WEBVTT") { return true }
        let lines = text.replacingOccurrences(of: "\r", with: "\n").split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count >= 2 else { return false }
        return lines[0].trimmingCharacters(in: .whitespaces).allSatisfy(\.isNumber) && lines[1].contains("-->")
    }
}
