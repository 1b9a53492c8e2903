import Compiler
import TimelineModel
/// A render made by copying the sources' packets instead of decoding and encoding them: the
/// timeline must be nothing but hard cuts between whole frames of video sources whose streams are
/// what the output would be (`StreamCopyJoin+Layout.swift` checks the streams themselves).
///
/// The encoder settings (crf, preset, bitrate) are not compared: a copy keeps the sources' own
/// quality, which is acceptable because nothing is composed over them. The copy is frame-exact or
/// it is not made, checked on the packets.
///
/// A cut whose in-point is not an IDR picture (or whose out-point is not one, nor the source's end)
/// has its frames up to its first IDR picture (from its last) re-encoded: "smart" cutting. Those
/// pieces are encoded with parameter-set ids the sources do not use, and the track's `avcC` carries
/// both encoders' SPS/PPS, so every picture of the one H.264 stream names the set it was coded with;
/// each piece starts with an IDR picture and ends where a copied IDR picture starts.
enum StreamCopyJoin {
    /// What `layout(of:cancel:)` found: the picture as copied and re-encoded pieces, the sound's spans.
    struct Layout: Sendable {
        enum Piece: Sendable, Hashable {
            /// Packets of a source showing output frames `frames`.
            case copy(PacketRemuxer.Span, frames: Range<Int>)
            /// Output frames to render and encode.
            case encode(Range<Int>)
        }

        var video: [Piece]
        var audio: PacketRemuxer.Track?
        /// The sources' video stream (all equal).
        var parameters: StreamParameters
        var scans: [String: SourcePackets]

        var encodedFrames: Int { frames(copied: false) }
        var copiedFrames: Int { frames(copied: true) }

        private func frames(copied: Bool) -> Int {
            video.reduce(0) { total, piece in
                switch piece {
                case .copy(_, let frames): return total + (copied ? frames.count : 0)
                case .encode(let frames): return total + (copied ? 0 : frames.count)
                }
            }
        }
    }

    /// One clip: frames `[firstFrame, firstFrame + frames)` of its source (counted on the output frame
    /// grid from the stream's start), shown from timeline frame `start`.
    struct Cut: Sendable, Hashable {
        var path: String
        var firstFrame: Int
        var frames: Int
        var start: Int
    }

    /// The cuts of `plan`'s timeline when it is eligible on its face (pure: no file is opened).
    static func cuts(of plan: RenderPlan) throws(Ineligible) -> [Cut] {
        guard let document = plan.prepared else { throw Ineligible("the plan has no timeline") }
        let timeline = document.timeline
        let output = timeline.output
        guard output.format == .mp4, plan.output.videoCodec == "libx264" else { throw Ineligible("only H.264 in MP4 is copied") }
        guard output.range == nil else { throw Ineligible("a range render") }
        guard output.loudness == nil else { throw Ineligible("a loudness target changes the sound") }
        let sound = plan.output.audioCodec != nil
        if sound, plan.output.audioCodec != "aac" { throw Ineligible("only AAC sound is copied") }
        let used = timeline.tracks.indices.filter { !timeline.tracks[$0].clips.isEmpty }
        guard used.count == 1, let ti = used.first else {
            throw Ineligible(used.isEmpty ? "no clips" : "clips on \(used.count) tracks (layers are composed)")
        }
        let track = timeline.tracks[ti]
        if track.hidden { throw Ineligible("the track is hidden") }
        if sound, track.muted || track.volume != 1 { throw Ineligible("the track's sound is muted or scaled") }
        let clock = FrameClock(rate: plan.output.frameRate)
        let rate = plan.output.frameRate
        var cuts: [Cut] = []
        for ci in track.clips.indices.sorted(by: { track.clips[$0].start < track.clips[$1].start }) {
            let clip = track.clips[ci]
            let name = "clip \(clip.id)"
            guard case .video(let video) = clip.asset else { throw Ineligible("\(name) is not a video clip") }
            guard let source = document.sources[ClipIndex(track: ti, clip: ci)] else { throw Ineligible("\(name) has no source") }
            let info = source.info
            if clip.speed != 1 { throw Ineligible("\(name) changes speed") }
            if clip.opacity != 1 || clip.scale != 1 || clip.offset != Timeline.Offset() { throw Ineligible("\(name) is placed, scaled or transparent") }
            if clip.fadeIn > 0 || clip.fadeOut > 0 { throw Ineligible("\(name) fades") }
            if clip.transition != nil { throw Ineligible("\(name) has a transition") }
            if !clip.effects.isEmpty { throw Ineligible("\(name) has effects") }
            if !clip.animate.isEmpty { throw Ineligible("\(name) has keyframes") }
            if sound, clip.volume != 1 || video.audio == false || !info.hasAudio { throw Ineligible("\(name)'s sound is changed or missing") }
            guard info.hasVideo, !info.isImage, info.rotation == 0 else { throw Ineligible("\(name)'s source is a still or rotated") }
            guard info.width == plan.output.width, info.height == plan.output.height else {
                throw Ineligible("\(name)'s source is \(info.width ?? 0)x\(info.height ?? 0), not the output's \(plan.output.width)x\(plan.output.height)")
            }
            let exact = clip.trim * Double(rate.num) / Double(rate.den)
            guard abs(exact - exact.rounded()) < 1e-6 else { throw Ineligible("\(name)'s in-point is between frames") }
            guard let length = timeline.effectiveLength(of: clip, source: source) else { throw Ineligible("\(name) has no length") }
            let start = clock.frame(at: clip.start)
            let end = clock.frame(at: clip.start + length)
            guard end > start else { continue }
            let expected = cuts.last.map { $0.start + $0.frames } ?? 0
            guard start == expected else { throw Ineligible("\(name) starts at frame \(start), not \(expected) (a gap or an overlap)") }
            cuts.append(Cut(path: source.path, firstFrame: Int(saturating: exact.rounded()), frames: end - start, start: start))
        }
        let frames = cuts.last.map { $0.start + $0.frames } ?? 0
        guard frames == plan.totalFrames else { throw Ineligible("the clips cover \(frames) of \(plan.totalFrames) frames") }
        return cuts
    }
}
