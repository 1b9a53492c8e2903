import Foundation
import Compiler
import Render
import TimelineModel

/// What an upload is when it is not probed media: captions or a font, recognised by extension or
/// first bytes and read as the renderer will read them (on the `probes` lane).
enum UploadedMedia {
    /// Captions (SRT/WebVTT) or a font, by extension or by the file's first bytes; nil for anything else.
    static func nonMediaContent(of file: URL, ext: String) -> ResolvedSource.Content? {
        if ResolvedSource.captionsExtensions.contains(ext) { return .captions }
        if ResolvedSource.fontExtensions.contains(ext) { return .font }
        guard let handle = try? FileHandle(forReadingFrom: file) else { return nil }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 512)) ?? Data()
        if Captions.looksLikeCaptions(prefix) { return .captions }
        // sfnt versions: TrueType, CFF OpenType, Apple TrueType, and collections.
        let magic = [UInt8](prefix.prefix(4))
        return [[0, 1, 0, 0], Array("OTTO".utf8), Array("true".utf8), Array("ttcf".utf8)].contains(magic) ? .font : nil
    }

    /// What reading an uploaded captions file or font found: a font's family, the end of the last cue
    /// (the editor's default length for a captions clip).
    struct Checked {
        var family: String?
        var duration: Double?
    }

    /// Reads an uploaded captions file or font as the renderer will; an `UploadRefusal` with the reader's reason
    /// when it cannot be used.
    static func check(_ content: ResolvedSource.Content, path: String, name: String, on lane: BlockingWork) async throws -> Checked {
        switch content {
        case .captions:
            let captions: Captions
            do {
                captions = try await lane.run { try Captions.load(path: path) }
            } catch let error as RenderError {
                throw UploadRefusal.unreadableCaptions(name: name, reason: error.description)
            }
            // Refused now rather than when a render uses it.
            guard captions.cues.count <= Timeline.maxCues else {
                throw UploadRefusal.tooManyCues(name: name, count: captions.cues.count, limit: Timeline.maxCues)
            }
            return Checked(duration: captions.cues.map(\.end).max())
        case .font:
            guard let family = try await lane.run({ FontCatalog.family(ofFile: path) }) else {
                throw UploadRefusal.unreadableFont(name: name)
            }
            return Checked(family: family)
        case .media:
            return Checked()
        }
    }
}
