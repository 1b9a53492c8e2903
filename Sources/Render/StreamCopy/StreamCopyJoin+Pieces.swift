import Compiler
import TimelineModel
import CFFmpeg
import Foundation

extension StreamCopyJoin {
    /// Writes `layout` into `outputPath`: renders its pieces to encode (range renders of the picture
    /// alone, their parameter sets numbered apart from the sources'), checks on their packets that
    /// they join the copied ones exactly, then copies everything into one file. Returns why not,
    /// before anything is written to `outputPath`, when they cannot join. Piece files are always deleted.
    static func write(
        _ layout: Layout, plan: RenderPlan, outputPath: String, cancel: CancellationFlag, progress: (RenderProgress) -> Void
    ) throws(RenderError) -> Result<RenderResult, Ineligible> {
        let reference = layout.parameters
        let ticks: Int64
        do { ticks = try frameTicks(reference) } catch { return .failure(error) }
        let encoded = layout.encodedFrames
        let ranges = layout.video.compactMap { piece -> Range<Int>? in
            if case .encode(let frames) = piece { return frames }
            return nil
        }
        // Every piece is rendered first, as many at once as there are cores: each is short, and
        // alone one would leave the cores idle while its decoder and encoder start and drain.
        var jobs: [ParallelRenders.Job] = []
        defer { for job in jobs { try? FileManager.default.removeItem(atPath: job.path) } }
        if !ranges.isEmpty {
            let splice: RenderPlan.Output.Splice
            switch Self.splice(reference) {
            case .success(let made): splice = made
            case .failure(let refusal): return .failure(refusal)
            }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            for frames in ranges {
                switch piecePlan(frames, splice: splice, plan: plan) {
                case .success(var part):
                    part.output.encoderThreads = max(1, cores / min(cores, ranges.count))
                    jobs.append(ParallelRenders.Job(plan: part, path: "\(outputPath).piece\(jobs.count).mp4", counts: true))
                case .failure(let refusal):
                    return .failure(refusal)
                }
            }
            _ = try ParallelRenders.run(jobs, concurrency: cores, cancel: cancel) { frames in
                let frame = frames * plan.totalFrames / max(1, encoded)
                progress(RenderProgress(frame: min(frame, plan.totalFrames - 1), totalFrames: plan.totalFrames, fps: 0))
            }
        }

        var pieceConfiguration: AVCConfiguration?
        var extradata: [UInt8]?
        var spans: [PacketRemuxer.Span] = []
        var decodeTimes: [Int64] = []
        var pieceIndex = 0
        for piece in layout.video {
            switch piece {
            case .copy(let span, _):
                guard let packets = layout.scans[span.path]?.video?.packets,
                      let first = packets.firstIndex(where: { $0.dts == span.firstDTS }), let count = span.count else {
                    return .failure(Ineligible("the packets of \(span.path) changed"))
                }
                decodeTimes += packets[first..<first + count].map { $0.dts + span.offset }
                spans.append(span)
            case .encode(let frames):
                let path = jobs[pieceIndex].path
                pieceIndex += 1
                let scan = try SourcePackets.scan(path: path, cancel: cancel)
                guard let video = scan.video, video.packets.count == frames.count, video.packets.first?.isIDR == true else {
                    return .failure(Ineligible("the piece for frames \(frames) has \(scan.video?.packets.count ?? 0) pictures or does not start on an IDR picture"))
                }
                let p = video.parameters
                guard p.codec == "h264", p.width == reference.width, p.height == reference.height, p.format == reference.format,
                      av_cmp_q(p.timeBase, reference.timeBase) == 0, Set(video.packets.map { ($0.pts - video.origin) }) == Set((0..<Int64(frames.count)).map { $0 * ticks }) else {
                    return .failure(Ineligible("the piece for frames \(frames) (\(p)) is not on the sources' frame grid"))
                }
                guard let configuration = AVCConfiguration(p.extradata), pieceConfiguration.map({ $0 == configuration }) ?? true else {
                    return .failure(Ineligible("the pieces' parameter sets differ"))
                }
                if pieceConfiguration == nil {
                    guard let sources = AVCConfiguration(reference.extradata), let merged = sources.merged(with: configuration) else {
                        return .failure(Ineligible("the pieces' parameter sets cannot join the sources' in one avcC"))
                    }
                    pieceConfiguration = configuration
                    extradata = merged.bytes
                }
                let offset = Int64(frames.lowerBound) * ticks - video.origin
                decodeTimes += video.packets.map { $0.dts + offset }
                spans.append(PacketRemuxer.Span(path: path, firstDTS: nil, count: nil, offset: offset))
            }
        }
        guard zip(decodeTimes, decodeTimes.dropFirst()).allSatisfy({ $0 < $1 }) else {
            return .failure(Ineligible("decode timestamps would not increase at a join"))
        }
        var tracks = [PacketRemuxer.Track(media: .video, spans: spans, extradata: extradata)]
        if let audio = layout.audio { tracks.append(audio) }
        try PacketRemuxer.write(path: outputPath, format: plan.output.format, tracks: tracks, cancel: cancel)
        progress(RenderProgress(frame: plan.totalFrames, totalFrames: plan.totalFrames, fps: 0))
        return .success(RenderResult(method: encoded == 0 ? .streamCopy : .spliced(reencodedFrames: encoded)))
    }

    /// What every piece's stream shares with the sources' packets: parameter-set ids after theirs,
    /// their profile, colour signalling and timescale. Only for sources the render does not convert
    /// (bt709, or untagged HD, which the render takes for bt709): a piece's pixels are then the sources'.
    static func splice(_ reference: StreamParameters) -> Result<RenderPlan.Output.Splice, Ineligible> {
        guard let sources = AVCConfiguration(reference.extradata) else { return .failure(Ineligible("the sources' avcC cannot be read")) }
        let id = ((sources.sequenceParameterSetIDs + sources.pictureParameterSetIDs).max() ?? -1) + 1
        guard id <= 31 else { return .failure(Ineligible("the sources use every SPS id")) }
        guard reference.timeBase.num == 1 else { return .failure(Ineligible("the sources' time base is not 1/n")) }
        let matrix = AVColorSpace(rawValue: reference.colour.count > 1 ? reference.colour[1] : 0)
        guard matrix == AVCOL_SPC_BT709 || (matrix == AVCOL_SPC_UNSPECIFIED && reference.height >= 720) else {
            return .failure(Ineligible("the sources' colour matrix (\(matrix.rawValue)) is converted when re-encoded"))
        }
        let profiles: [Int32: String] = [66: "baseline", 578: "baseline", 77: "main", 100: "high"]
        guard let profile = profiles[reference.profile] else {
            return .failure(Ineligible("the sources' H.264 profile (\(reference.profile)) is not one x264 encodes 8-bit 4:2:0 in"))
        }
        let c = reference.colour
        let colour = RenderPlan.ColourTags(
            space: LibAV.string(av_color_space_name(AVColorSpace(rawValue: c[1]))),
            primaries: LibAV.string(av_color_primaries_name(AVColorPrimaries(rawValue: c[2]))),
            transfer: LibAV.string(av_color_transfer_name(AVColorTransferCharacteristic(rawValue: c[3]))),
            range: LibAV.string(av_color_range_name(AVColorRange(rawValue: c[0]))))
        return .success(RenderPlan.Output.Splice(parameterSetID: id, timescale: reference.timeBase.den, colour: colour, profile: profile))
    }

    /// The range render of output `frames`, picture only, encoded as `splice` says.
    static func piecePlan(_ frames: Range<Int>, splice: RenderPlan.Output.Splice, plan: RenderPlan) -> Result<RenderPlan, Ineligible> {
        guard let document = plan.prepared else { return .failure(Ineligible("the plan has no timeline")) }
        var part: RenderPlan
        do { part = try document.picturePlan(frames: frames) } catch { return .failure(error) }
        part.output.splice = splice
        part.output.colour = splice.colour
        return .success(part)
    }
}
