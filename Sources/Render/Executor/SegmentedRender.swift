import Compiler
import TimelineModel
import CFFmpeg
import Foundation

/// A long timeline rendered as parallel range renders of its picture (one per core, each with fewer
/// encoder threads) and one render of its sound, joined by stream copy. Each segment is its own
/// encode, so it starts with a keyframe; boundaries fall on multiples of the encoder's keyframe
/// interval, so the joined file keeps its regular keyframes.
enum SegmentedRender {
    /// Shorter outputs gain too little from splitting to pay for the extra inputs and joins.
    static let minimumSeconds = 60.0

    /// `segments` nearly equal frame ranges covering `totalFrames`, cut on multiples of `gop`.
    static func boundaries(totalFrames: Int, segments: Int, gop: Int) -> [Range<Int>] {
        let gop = max(1, gop)
        let groups = (totalFrames + gop - 1) / gop
        let count = max(1, min(segments, groups))
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 0..<count {
            let end = index == count - 1 ? totalFrames : min(totalFrames, (groups * (index + 1) / count) * gop)
            if end > start { ranges.append(start..<end) }
            start = end
        }
        return ranges
    }

    /// One render of the split: a plan and its temporary file.
    struct Job: Sendable {
        var plan: RenderPlan
        var path: String
        /// First output frame of its picture (nil for the sound).
        var firstFrame: Int?
    }

    /// The renders `plan` splits into (pure): one per picture segment, then the sound's.
    static func jobs(for plan: RenderPlan, segments: Int, cores: Int, outputPath: String) throws(Ineligible) -> [Job] {
        guard let document = plan.prepared else { throw Ineligible("the plan has no timeline") }
        let output = document.timeline.output
        guard output.format == .mp4 || output.format == .webm else { throw Ineligible("only MP4 and WebM are split") }
        guard output.range == nil else { throw Ineligible("a range render") }
        guard plan.duration >= minimumSeconds else { throw Ineligible("shorter than \(Int(minimumSeconds)) s") }
        guard segments >= 2 else { throw Ineligible("one segment asked for") }
        let ranges = boundaries(totalFrames: plan.totalFrames, segments: segments, gop: plan.output.keyframeInterval)
        guard ranges.count >= 2 else { throw Ineligible("too short for \(segments) segments") }
        let threads = max(1, cores / ranges.count)
        var jobs: [Job] = []
        for (index, range) in ranges.enumerated() {
            var part = try document.picturePlan(frames: range)
            part.output.encoderThreads = threads
            jobs.append(Job(plan: part, path: "\(outputPath).part\(index).\(output.format.rawValue)", firstFrame: range.lowerBound))
        }
        if plan.output.audioCodec != nil {
            // Every track hidden: no picture is decoded; a tiny canvas is encoded and thrown away.
            var sound = document.plan { timeline in
                for index in timeline.tracks.indices { timeline.tracks[index].hidden = true }
                timeline.output.width = 16
                timeline.output.height = 16
                timeline.output.video.preset = .ultrafast
            }
            sound.output.encoderThreads = 1
            jobs.append(Job(plan: sound, path: "\(outputPath).sound.\(output.format.rawValue)", firstFrame: nil))
        }
        return jobs
    }

    /// Runs `jobs` on their own threads, reporting their summed picture frames as one progress from the
    /// calling thread, then joins them into `outputPath`. Returns why not, before anything is written to
    /// `outputPath`, when the segments cannot be joined exactly. The temporary files are always deleted;
    /// cancelling `cancel` (or a failing job) stops every job.
    static func run(
        _ jobs: [Job], plan: RenderPlan, outputPath: String, cancel: CancellationFlag, progress: (RenderProgress) -> Void
    ) throws(RenderError) -> Result<RenderResult, Ineligible> {
        defer { for job in jobs { try? FileManager.default.removeItem(atPath: job.path) } }
        let started = ContinuousClock.now
        func report(_ frames: Int) {
            let elapsed = (ContinuousClock.now - started) / .seconds(1)
            progress(RenderProgress(frame: frames, totalFrames: plan.totalFrames, fps: elapsed > 0 ? Double(frames) / elapsed : 0))
        }
        let renders = jobs.map { ParallelRenders.Job(plan: $0.plan, path: $0.path, counts: $0.firstFrame != nil) }
        let results = try ParallelRenders.run(renders, concurrency: jobs.count, cancel: cancel, progress: report)
        let tracks: [PacketRemuxer.Track]
        switch joinTracks(jobs, plan: plan, cancel: cancel) {
        case .success(let joined): tracks = joined
        case .failure(let refusal): return .failure(refusal)
        }
        try PacketRemuxer.write(path: outputPath, format: plan.output.format, tracks: tracks, cancel: cancel)
        report(plan.totalFrames)
        let loudness = jobs.indices.first { jobs[$0].firstFrame == nil }.flatMap { results[$0].measuredLoudness }
        return .success(RenderResult(measuredLoudness: loudness, method: .segmented(segments: jobs.filter { $0.firstFrame != nil }.count)))
    }

    /// The rendered segments as copy spans, once their packets prove they join exactly: the same
    /// codec configuration bytes in every segment, each starting with an IDR picture, one packet per
    /// frame, decode times increasing across the joins. In MP4 the sound is cut to the picture's length.
    static func joinTracks(_ jobs: [Job], plan: RenderPlan, cancel: CancellationFlag) -> Result<[PacketRemuxer.Track], Ineligible> {
        var video: [PacketRemuxer.Span] = []
        var audio: [PacketRemuxer.Span] = []
        var reference: StreamParameters?
        var lastDTS = Int64.min
        for job in jobs {
            let scan: SourcePackets
            do { scan = try SourcePackets.scan(path: job.path, cancel: cancel) } catch {
                return .failure(Ineligible("cannot read the segment \(job.path): \(error)"))
            }
            guard let firstFrame = job.firstFrame else {
                guard let sound = scan.audio, let first = sound.timestamps.first, let size = sound.durations.first, size > 0 else {
                    return .failure(Ineligible("the sound render has no sound"))
                }
                let tb = sound.parameters.timeBase
                // Matroska counts milliseconds and signals Opus's delay itself: its packets are copied as they are.
                guard tb.num == 1, Int(tb.den) == plan.output.sampleRate else {
                    audio.append(PacketRemuxer.Span(path: job.path, firstDTS: nil, count: nil, offset: 0))
                    continue
                }
                // MP4 counts samples: the packets up to the picture's end, the last one cut there (by the edit list).
                let samples = FrameClock(rate: plan.output.frameRate).sample(frame: plan.totalFrames, sampleRate: plan.output.sampleRate)
                let end = sound.origin + av_rescale_q(Int64(samples), AVRational(num: 1, den: Int32(plan.output.sampleRate)), tb)
                let count = sound.timestamps.filter { $0 < end }.count
                guard count > 0, let last = sound.timestamps.prefix(count).last else { return .failure(Ineligible("the sound render is empty")) }
                audio.append(PacketRemuxer.Span(path: job.path, firstDTS: first, count: count, offset: 0, lastDuration: end - last))
                continue
            }
            guard let picture = scan.video, let first = picture.packets.first else { return .failure(Ineligible("segment \(job.path) has no picture")) }
            if let reference, reference != picture.parameters {
                return .failure(Ineligible("segments differ: \(picture.parameters.difference(from: reference))"))
            }
            reference = picture.parameters
            guard picture.packets.count == job.plan.totalFrames, first.isIDR else {
                return .failure(Ineligible("segment at frame \(firstFrame) has \(picture.packets.count) pictures for \(job.plan.totalFrames) frames or does not start on an IDR picture"))
            }
            let offset = av_rescale_q(Int64(firstFrame), AVRational(num: Int32(plan.output.frameRate.den), den: Int32(plan.output.frameRate.num)), picture.parameters.timeBase) - picture.origin
            for packet in picture.packets {
                guard packet.dts + offset > lastDTS else { return .failure(Ineligible("decode times would not increase at frame \(firstFrame)")) }
                lastDTS = packet.dts + offset
            }
            video.append(PacketRemuxer.Span(path: job.path, firstDTS: nil, count: nil, offset: offset))
        }
        var tracks = [PacketRemuxer.Track(media: .video, spans: video)]
        if !audio.isEmpty { tracks.append(PacketRemuxer.Track(media: .audio, spans: audio)) }
        return .success(tracks)
    }
}
