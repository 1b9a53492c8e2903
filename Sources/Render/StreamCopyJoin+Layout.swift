import CFFmpeg

extension StreamCopyJoin {
    /// The packets to copy for `plan`, after checking on the files that the copy is exact: every
    /// source's streams equal each other and the output's settings, the pictures are on the output's
    /// frame grid, each cut starts on an IDR picture and ends on one or at the source's end, and the
    /// packets decoded from there are exactly the cut's frames. Throws why not otherwise.
    static func layout(of plan: RenderPlan, cancel: CancellationFlag) throws(Ineligible) -> [PacketRemuxer.Track] {
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
        var tracks = [PacketRemuxer.Track(media: .video, spans: try videoSpans(cuts, scans: scans, parameters: reference))]
        if sound { tracks.append(PacketRemuxer.Track(media: .audio, spans: try audioSpans(cuts, scans: scans, plan: plan))) }
        return tracks
    }

    /// One span per cut: from its in-point's IDR packet to its out-point's, in decode order.
    static func videoSpans(_ cuts: [Cut], scans: [String: SourcePackets], parameters: StreamParameters) throws(Ineligible) -> [PacketRemuxer.Span] {
        let timeBase = parameters.timeBase
        let rate = parameters.frameRate
        // Ticks of the stream's time base per frame; a copy needs a whole number.
        let (ticks, remainder) = (Int64(timeBase.den) * Int64(rate.den)).quotientAndRemainder(dividingBy: Int64(timeBase.num) * Int64(rate.num))
        guard remainder == 0, ticks > 0 else { throw Ineligible("a frame is not a whole number of time-base ticks") }
        var spans: [PacketRemuxer.Span] = []
        var lastDTS = Int64.min
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
            guard let first = frameOfPacket.firstIndex(of: cut.firstFrame), packets[first].isIDR else {
                throw Ineligible("\(cut.path)'s frame \(cut.firstFrame) (the in-point) is not an IDR keyframe")
            }
            let endFrame = cut.firstFrame + cut.frames
            let end: Int
            if endFrame == packets.count {
                end = packets.count
            } else if endFrame < packets.count, let index = frameOfPacket.firstIndex(of: endFrame), packets[index].isIDR {
                end = index
            } else {
                throw Ineligible("\(cut.path)'s frame \(endFrame) (the out-point) is neither a keyframe nor the end")
            }
            // Closed GOPs: what decodes from the in-point's IDR up to the out-point's is exactly the cut's frames.
            guard first < end, Set(frameOfPacket[first..<end]) == Set(cut.firstFrame..<endFrame) else {
                throw Ineligible("\(cut.path)'s packets between frames \(cut.firstFrame) and \(endFrame) reach outside them (open GOP)")
            }
            let offset = Int64(cut.start - cut.firstFrame) * ticks - video.origin
            for packet in packets[first..<end] {
                guard packet.dts + offset > lastDTS else { throw Ineligible("decode timestamps would not increase at the cut to \(cut.path)") }
                lastDTS = packet.dts + offset
            }
            spans.append(PacketRemuxer.Span(path: cut.path, firstDTS: packets[first].dts, count: end - first, offset: offset))
        }
        return spans
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
