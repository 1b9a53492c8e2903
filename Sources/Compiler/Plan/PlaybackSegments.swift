import Foundation
import TimelineModel

/// Editor playback: the timeline cut into short segments the engine renders one by one at a
/// preview size (fragmented MP4 the browser appends with Media Source Extensions). Segment `i`
/// holds the whole frames `i × framesPerSegment ..< (i + 1) × framesPerSegment` of the output,
/// the last one clipped to the timeline's end.
///
/// Each segment has a fingerprint: exactly the part of the document that decides its pictures and
/// sound (preview output, background, the clips overlapping its window, transitions reaching into
/// it included, with their merged text and their sources' probes), so an edit changes only the
/// fingerprints of the segments it touches and the server's cache keeps the others.
public struct PlaybackSegments: Sendable {
    /// Seconds per segment before rounding to whole frames.
    public static let seconds = 2.0

    /// The document as segments render it: placeholders filled, clips whose source (or font) is
    /// missing taken out, the preview's output settings.
    public let timeline: Timeline
    /// Ids of the clips taken out because their source or font does not resolve.
    public let missingClips: [String]
    /// Where each of them is in the document, and what is missing (`asset 'x' not found`).
    public let missingIssues: [ValidationIssue]
    /// The segments' width in pixels: the timeline's output width (composed at this size, its
    /// `canvas` the document's own size).
    public let width: Int
    public let framesPerSegment: Int
    /// Frames of the whole timeline at the output rate.
    public let totalFrames: Int
    public var count: Int { (totalFrames + framesPerSegment - 1) / framesPerSegment }
    /// The exact output frame rate.
    public var frameRate: Rational { clock.rate }

    private let clock: FrameClock
    private let sources: [ClipIndex: ResolvedSource]

    /// Resolves `document`'s sources once; `width` is the preview width (never wider than the document,
    /// `Timeline.Output.previewSize`).
    public init(_ document: Timeline, width: Int, resolve: SourceResolver) {
        var merged = document.applyingMerge([:])
        merged.merge = [:]
        // Composed at the preview size (not composed full size and scaled at the end): far less to
        // decode, scale and blend, and the canvas keeps text and the like where they were.
        merged.output = Self.previewOutput(document.output).composedForPreview(width: width)
        var missing: [String] = []
        var issues: [ValidationIssue] = []
        for ti in merged.tracks.indices {
            var kept: [Timeline.Clip] = []
            var droppedPrevious = false
            for (ci, var clip) in merged.tracks[ti].clips.enumerated() {
                let references = [("src", clip.asset.src), ("font/src", clip.asset.font?.src)].compactMap { key, src in src.map { (key, $0) } }
                if let (key, src) = references.first(where: { !$0.1.isEmpty && resolve($0.1) == nil }) {
                    missing.append(clip.id)
                    issues.append(ValidationIssue(path: "/tracks/\(ti)/clips/\(ci)/asset/\(key)", message: "asset '\(src)' not found"))
                    droppedPrevious = true
                    continue
                }
                // A transition from a clip that is gone has nothing to come from.
                if droppedPrevious { clip.transition = nil }
                droppedPrevious = false
                kept.append(clip)
            }
            merged.tracks[ti].clips = kept
        }
        timeline = merged
        missingClips = missing
        missingIssues = issues
        sources = merged.resolveSources(resolve)
        clock = FrameClock(rate: Rational(fps: merged.output.fps))
        framesPerSegment = max(1, Int((Self.seconds * clock.rate.doubleValue).rounded()))
        totalFrames = clock.frame(at: merged.computeDuration(sources))
        self.width = merged.output.width
    }

    /// What playback renders whatever the document's output says: H.264 and AAC in MP4 (what
    /// browsers append), always with a sound track (a `SourceBuffer` expects the same tracks in
    /// every segment), the whole timeline, and no loudness pass (a two-second window has no
    /// meaningful integrated loudness).
    static func previewOutput(_ output: Timeline.Output) -> Timeline.Output {
        var preview = output
        preview.format = .mp4
        // ultrafast: no B-frames, so every segment's first picture is at time 0 (B-frames would
        // delay it by their reorder depth in a fragment, and a player would see a gap at each join),
        // and fast enough to keep ahead of real time on two cores.
        preview.video = Timeline.VideoSettings(codec: .h264, crf: 23, preset: .ultrafast)
        let audio = output.audio ?? Timeline.AudioSettings()
        preview.audio = Timeline.AudioSettings(codec: .aac, bitrate: 128_000, sampleRate: audio.sampleRate, channels: audio.channels)
        preview.range = nil
        preview.loudness = nil
        return preview
    }

    /// Frames `start..<end` of segment `index`; nil past the end.
    public func frames(_ index: Int) -> Range<Int>? {
        guard index >= 0, index < count else { return nil }
        let start = index * framesPerSegment
        return start..<min(totalFrames, start + framesPerSegment)
    }

    /// The segment's window in timeline seconds (frame start times).
    public func window(_ index: Int) -> Timeline.TimeRange? {
        frames(index).map { Timeline.TimeRange(start: clock.seconds(frame: $0.lowerBound), end: clock.seconds(frame: $0.upperBound)) }
    }

    /// The document that renders segment `index`: the timeline with `output.range` on its window.
    public func document(_ index: Int) -> Timeline? {
        guard let window = window(index) else { return nil }
        var segment = timeline
        segment.output.range = window
        return segment
    }

    /// The canonical JSON of everything that decides segment `index` (sorted keys, stable bytes).
    public func fingerprint(_ index: Int) -> Data? {
        guard let frames = frames(index), let window = window(index) else { return nil }
        var tracks: [TrackPart] = []
        for (ti, track) in timeline.tracks.enumerated() {
            let clips = relevantClips(of: ti, in: window).map { ci in
                let clip = track.clips[ci]
                let source = sources[ClipIndex(track: ti, clip: ci)]
                return ClipPart(clip: clip, source: source?.info, content: source.map { "\($0.content)" })
            }
            // A track with nothing here changes nothing here; the order of the others keeps the layering.
            if !clips.isEmpty { tracks.append(TrackPart(muted: track.muted, hidden: track.hidden, volume: track.volume, clips: clips)) }
        }
        let part = Fingerprint(output: timeline.output, background: timeline.background, width: width,
                               frames: [frames.lowerBound, frames.upperBound], tracks: tracks)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try? encoder.encode(part)
    }

    /// Indexes of the track's clips that show or sound in `window`: their own time, widened by half
    /// of the transitions into them (from the previous clip) and out of them (into the next).
    private func relevantClips(of ti: Int, in window: Timeline.TimeRange) -> [Int] {
        let clips = timeline.tracks[ti].clips
        let order = clips.indices.sorted { clips[$0].start < clips[$1].start }
        var result: [Int] = []
        for (position, ci) in order.enumerated() {
            let clip = clips[ci]
            let length = timeline.effectiveLength(of: clip, source: sources[ClipIndex(track: ti, clip: ci)])
            let into = (clip.transition?.duration ?? 0) / 2
            let next = position + 1 < order.count ? clips[order[position + 1]].transition : nil
            let outOf = (next?.duration ?? 0) / 2
            let start = clip.start - into
            // Unknown length (a source without duration): treat it as reaching the end.
            let end = length.map { clip.start + $0 + outOf } ?? .infinity
            if start < window.end && end > window.start { result.append(ci) }
        }
        return result.sorted()
    }

    private struct Fingerprint: Encodable {
        /// Bumped when what a segment renders changes for the same document (cached files go stale).
        var scheme = 3
        var output: Timeline.Output
        var background: String
        var width: Int
        var frames: [Int]
        var tracks: [TrackPart]
    }

    private struct TrackPart: Encodable {
        var muted: Bool
        var hidden: Bool
        var volume: Double
        var clips: [ClipPart]
    }

    private struct ClipPart: Encodable {
        var clip: Timeline.Clip
        var source: MediaInfo?
        var content: String?
    }
}
