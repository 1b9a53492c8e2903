import Compiler
import TimelineModel
import CFFmpeg

extension StreamCopyJoin {
    /// The packets to copy for `plan`, after checking on the files that the copy is exact: every
    /// source's streams equal each other and the output's settings, the pictures are on the output's
    /// frame grid, and what decodes from each copied IDR picture up to the next copied stretch's end is
    /// exactly its frames. Frames of a cut before its first IDR picture or after its last one are
    /// left to be re-encoded (`Layout.video`). Throws why not otherwise.
    static func layout(of plan: RenderPlan, cancel: CancellationFlag) throws(Ineligible) -> Layout {
        let cuts = try cuts(of: plan)
        var scans: [String: SourcePackets] = [:]
        for path in Set(cuts.map(\.path)).sorted() {
            do { scans[path] = try SourcePackets.scan(path: path, cancel: cancel) } catch {
                throw Ineligible("cannot read the packets of \(path): \(error)")
            }
        }
        let output = plan.output
        let sound = output.audioCodec != nil
        var videoReference: StreamParameters?
        var audioReference: StreamParameters?
        for (path, scan) in scans.sorted(by: { $0.key < $1.key }) {
            guard let video = scan.video else { throw Ineligible("\(path) has no video stream") }
            let p = video.parameters
            guard p.codec == "h264", Int(p.width) == output.width, Int(p.height) == output.height,
                  p.format == AV_PIX_FMT_YUV420P.rawValue, p.sampleAspectRatio == "1:1" else {
                throw Ineligible("\(path)'s video (\(p)) is not what the output encodes")
            }
            guard Int(p.frameRate.num) * output.frameRate.den == output.frameRate.num * Int(p.frameRate.den) else {
                throw Ineligible("\(path) runs at \(p.frameRate.num)/\(p.frameRate.den) fps, the output at \(output.frameRate)")
            }
            if let reference = videoReference, reference != p { throw Ineligible("the sources' video differs: \(p.difference(from: reference))") }
            videoReference = p
            guard sound else { continue }
            guard let audio = scan.audio else { throw Ineligible("\(path) has no sound") }
            let a = audio.parameters
            guard a.codec == "aac", Int(a.sampleRate) == output.sampleRate,
                  a.layout == (output.channels == 1 ? "mono" : "stereo"), a.timeBase.num == 1, Int(a.timeBase.den) == output.sampleRate else {
                throw Ineligible("\(path)'s sound (\(a)) is not what the output encodes")
            }
            if let reference = audioReference, reference != a { throw Ineligible("the sources' sound differs: \(a.difference(from: reference))") }
            audioReference = a
        }
        guard let reference = videoReference else { throw Ineligible("no sources") }
        var layout = Layout(video: try videoPieces(cuts, scans: scans, parameters: reference), audio: nil, parameters: reference, scans: scans)
        // Below half, the pieces' encodes and joins save too little over one pass.
        guard layout.copiedFrames * 2 >= plan.totalFrames else {
            throw Ineligible("only \(layout.copiedFrames) of \(plan.totalFrames) frames lie between keyframes the cuts keep")
        }
        if sound { layout.audio = PacketRemuxer.Track(media: .audio, spans: try audioSpans(cuts, scans: scans, plan: plan)) }
        return layout
    }

    /// The picture in order: for each cut, its frames from its first IDR picture to its last (or the
    /// source's end) as one copied span, and the frames before and after as output frames to encode
    /// (merged with a neighbouring cut's). A cut with no usable IDR picture is encoded whole.
    static func videoPieces(_ cuts: [Cut], scans: [String: SourcePackets], parameters: StreamParameters) throws(Ineligible) -> [Layout.Piece] {
        let ticks = try frameTicks(parameters)
        var pieces: [Layout.Piece] = []
        func encode(_ frames: Range<Int>) {
            guard !frames.isEmpty else { return }
            if case .encode(let previous) = pieces.last, previous.upperBound == frames.lowerBound {
                pieces[pieces.count - 1] = .encode(previous.lowerBound..<frames.upperBound)
            } else {
                pieces.append(.encode(frames))
            }
        }
        for cut in cuts {
            guard let video = scans[cut.path]?.video else { throw Ineligible("\(cut.path) has no video stream") }
            let packets = video.packets
            var frameOfPacket: [Int] = []
            for packet in packets {
                let (frame, off) = (packet.pts - video.origin).quotientAndRemainder(dividingBy: ticks)
                guard packet.pts != LibAV.noPTS, packet.dts != LibAV.noPTS, off == 0, frame >= 0 else {
                    throw Ineligible("\(cut.path) has a picture off the frame grid (pts \(packet.pts))")
                }
                frameOfPacket.append(Int(frame))
            }
            guard Set(frameOfPacket).count == packets.count, frameOfPacket.max() == packets.count - 1 else {
                throw Ineligible("\(cut.path)'s pictures are not one per frame (variable frame rate or missing frames)")
            }
            let endFrame = cut.firstFrame + cut.frames
            guard endFrame <= packets.count else { throw Ineligible("\(cut.path) ends before frame \(endFrame)") }
            var idrPacket: [Int: Int] = [:]
            for (index, packet) in packets.enumerated() where packet.isIDR { idrPacket[frameOfPacket[index]] = index }
            let inner = idrPacket.keys.filter { $0 >= cut.firstFrame && $0 < endFrame }
            let output = { (frame: Int) in cut.start + frame - cut.firstFrame }
            // The copy runs from the first IDR picture in the cut to the last one (or to the source's end).
            guard let copyStart = inner.min(), let first = idrPacket[copyStart] else {
                encode(output(cut.firstFrame)..<output(endFrame))
                continue
            }
            let copyEnd = endFrame == packets.count || idrPacket[endFrame] != nil ? endFrame : (inner.max() ?? copyStart)
            let end = copyEnd == packets.count ? packets.count : (idrPacket[copyEnd] ?? first)
            // Closed GOPs: what decodes from the first IDR up to the last is exactly the frames between them.
            guard first < end, Set(frameOfPacket[first..<end]) == Set(copyStart..<copyEnd) else {
                encode(output(cut.firstFrame)..<output(endFrame))
                continue
            }
            encode(output(cut.firstFrame)..<output(copyStart))
            let offset = Int64(cut.start - cut.firstFrame) * ticks - video.origin
            pieces.append(.copy(
                PacketRemuxer.Span(path: cut.path, firstDTS: packets[first].dts, count: end - first, offset: offset),
                frames: output(copyStart)..<output(copyEnd)))
            encode(output(copyEnd)..<output(endFrame))
        }
        return pieces
    }

    /// Ticks of the stream's time base per frame; a copy needs a whole number.
    static func frameTicks(_ parameters: StreamParameters) throws(Ineligible) -> Int64 {
        let (ticks, remainder) = (Int64(parameters.timeBase.den) * Int64(parameters.frameRate.den))
            .quotientAndRemainder(dividingBy: Int64(parameters.timeBase.num) * Int64(parameters.frameRate.num))
        guard remainder == 0, ticks > 0 else { throw Ineligible("a frame is not a whole number of time-base ticks") }
        return ticks
    }

    /// The sound as a run of whole AAC packets on the output's own packet grid: the packet for output
    /// samples `[k·N, (k+1)·N)` is the source packet nearest to where the clip playing at `k·N` is in its
    /// source. Sync stays within half a packet (about 11 ms at 48 kHz) at every cut and nothing drifts; the
    /// last packet is shortened so the sound ends with the picture. A packet before the first one primes
    /// the decoder (its samples are skipped by the edit list, as the encoder's priming is).
    static func audioSpans(_ cuts: [Cut], scans: [String: SourcePackets], plan: RenderPlan) throws(Ineligible) -> [PacketRemuxer.Span] {
        let rate = plan.output.sampleRate
        let clock = FrameClock(rate: plan.output.frameRate)
        guard let size = scans[cuts[0].path]?.audio?.durations.first, size > 0 else { throw Ineligible("no sound packets") }
        var firstIndex: [String: Int] = [:]
        for (path, scan) in scans {
            guard let audio = scan.audio, let first = audio.timestamps.first else { throw Ineligible("\(path) has no sound packets") }
            for (i, pts) in audio.timestamps.enumerated() where pts != first + Int64(i) * size {
                throw Ineligible("\(path)'s sound packets are not back to back \(size)-sample packets")
            }
            for duration in audio.durations.dropLast() where duration != size { throw Ineligible("\(path) has sound packets of varying size") }
            // Index of the packet that starts at the stream's origin (1 after a priming packet).
            let (index, off) = (audio.origin - first).quotientAndRemainder(dividingBy: size)
            guard off == 0, index >= 0 else { throw Ineligible("\(path)'s sound does not start on a packet") }
            firstIndex[path] = Int(index)
        }
        let total = Int64(clock.sample(frame: plan.totalFrames, sampleRate: rate))
        let slots = (total + size - 1) / size
        // (cut, source packet index) for slots -1 (priming), 0, 1, ...
        var chosen: [(path: String, index: Int)] = []
        var cutIndex = 0
        for slot in 0..<slots {
            let position = slot * size
            while cutIndex + 1 < cuts.count, Int64(clock.sample(frame: cuts[cutIndex + 1].start, sampleRate: rate)) <= position { cutIndex += 1 }
            let cut = cuts[cutIndex]
            let inPoint = Int64(clock.sample(frame: cut.firstFrame, sampleRate: rate))
            let source = inPoint + position - Int64(clock.sample(frame: cut.start, sampleRate: rate))
            guard let origin = firstIndex[cut.path], let count = scans[cut.path]?.audio?.timestamps.count else { throw Ineligible("no sound for \(cut.path)") }
            let index = origin + Int((source + size / 2) / size)
            guard index < count else { throw Ineligible("\(cut.path)'s sound ends before its picture") }
            if slot == 0 {
                guard index >= 1 else { throw Ineligible("\(cut.path) has no packet before its first to prime the decoder") }
                chosen.append((cut.path, index - 1))
            }
            chosen.append((cut.path, index))
        }
        var spans: [PacketRemuxer.Span] = []
        for (slot, pick) in chosen.enumerated() {
            guard let audio = scans[pick.path]?.audio else { continue }
            let pts = audio.timestamps[pick.index]
            let target = Int64(slot - 1) * size
            // Consecutive source packets for consecutive slots stay one span.
            if var last = spans.last, last.path == pick.path, let count = last.count, pts + last.offset == target,
               last.firstDTS.map({ $0 + Int64(count) * size == pts }) == true {
                last.count = count + 1
                spans[spans.count - 1] = last
            } else {
                spans.append(PacketRemuxer.Span(path: pick.path, firstDTS: pts, count: 1, offset: target - pts))
            }
        }
        if !spans.isEmpty { spans[spans.count - 1].lastDuration = total - (slots - 1) * size }
        return spans
    }
}
