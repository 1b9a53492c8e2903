import Foundation
import TimelineModel

// Documents, sources and media info the engine's test suites share (no files, no FFmpeg).

public typealias T = Timeline

/// A resolver over a fixed table of sources.
public func resolver(_ table: [String: MediaInfo]) -> SourceResolver {
    { src in table[src].map { ResolvedSource(path: "/media/\(src)", info: $0) } }
}

public let tenSecondVideo = MediaInfo(format: "mov,mp4", duration: 10, hasVideo: true, hasAudio: true, width: 1920, height: 1080, fps: 25, sampleRate: 48000, channels: 2)
public let silentVideo = MediaInfo(format: "mov,mp4", duration: 10, hasVideo: true, hasAudio: false, width: 1280, height: 720, fps: 30)
public let song = MediaInfo(format: "mp3", duration: 60, hasVideo: false, hasAudio: true, sampleRate: 44100, channels: 2)
public let stillImage = MediaInfo(format: "png_pipe", duration: 0, hasVideo: true, hasAudio: false, width: 400, height: 200, isImage: true)
public let media = resolver(["v.mp4": tenSecondVideo, "silent.mp4": silentVideo, "song.mp3": song, "logo.png": stillImage])

public func video(_ id: String, _ src: String = "v.mp4", start: Double, length: Double? = nil, trim: Double = 0) -> T.Clip {
    T.Clip(id: id, asset: .video(T.VideoAsset(src: src)), start: start, length: length, trim: trim)
}

public func timeline(_ tracks: [[T.Clip]], output: T.Output = T.Output(width: 640, height: 360)) -> T {
    T(output: output, tracks: tracks.enumerated().map { T.Track(id: "track\($0.offset)", clips: $0.element) })
}

/// Decodes or records the issues as `path: message` lines.
public func decodeIssues(_ json: String) -> [ValidationIssue] {
    do {
        _ = try TimelineDocument.decode(Data(json.utf8))
        return []
    } catch {
        if case .invalidTimeline(let issues) = error { return issues }
        if case .malformedDocument(let issue) = error { return [issue] }
        return [ValidationIssue(path: "?", message: "\(error)")]
    }
}

/// A minimal valid document around one clip JSON.
public func document(clip: String, output: String = ##"{"width": 640, "height": 360}"##) -> String {
    #"{"version": 1, "output": \#(output), "tracks": [{"id": "v", "clips": [\#(clip)]}]}"#
}
