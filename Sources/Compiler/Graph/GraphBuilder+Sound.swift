import TimelineModel

extension GraphBuilder {
    /// Source seconds decoded past a clip's out-point, so filters see the frame after the last one they keep.
    package static let readAhead = 0.25

    mutating func addSound(_ segment: Segment, track: Timeline.Track) {
        let clip = segment.clip
        let volumeCurve = clip.curve(.volume)
        let volume = clip.volume * track.volume
        let audible = volumeCurve.map { curve in track.volume > 0 && curve.keys.contains { $0.value > 0 } } ?? (volume > 0)
        guard !track.muted, audible, hasSound, let source = segment.source,
              source.info.hasAudio, !source.info.isImage else { return }
        switch clip.asset {
        case .video(let video) where video.audio != false: break
        case .audio: break
        default: return
        }
        let key = segment.key
        let firstSample = clock.sample(frame: segment.streamStart, sampleRate: sampleRate)
        let samples = clock.sample(frame: segment.streamStart + segment.frames, sampleRate: sampleRate) - firstSample
        // Source seconds: a transition's head and tail are timeline time, × speed.
        let speed = clip.speed
        let inPoint = clip.trim - clock.seconds(frame: segment.head) * speed
        let outPoint = clip.trim + clock.seconds(frame: segment.nominal + segment.tail) * speed
        inputs.append(RenderPlan.Input(path: source.path, media: .audio, pad: "\(key)_ain", seek: max(0, inPoint), until: outPoint + Self.readAhead * speed))
        var filters = [
            "atrim=start=\(decimal(max(0, inPoint))):end=\(decimal(outPoint))",
            "asetpts=PTS-STARTPTS",
        ]
        filters += Self.tempo(speed)
        filters += [
            "aresample=\(sampleRate)",
            "aformat=sample_fmts=fltp:channel_layouts=\(layout)",
        ]
        // A transition's head before the source's start is silence (timeline seconds, so ÷ speed).
        if inPoint < 0 { filters.append("adelay=delays=\(Int(saturating: (-inPoint / speed * Double(sampleRate)).rounded()))S:all=1") }
        if let volumeCurve {
            // t is stream time here (0 at the transition head); keys are clip time.
            let u = "(t-\(decimal(clock.seconds(frame: segment.head))))"
            // volume evaluates once per audio frame: 10 ms frames keep the steps inaudible.
            filters.append("asetnsamples=n=\(max(1, sampleRate / 100)):p=0")
            filters.append("volume=volume='\(volumeCurve.expression(u: u, scale: track.volume))':eval=frame")
        } else if volume != 1 {
            filters.append("volume=\(decimal(volume))")
        }
        // Exactly the stream's samples, even when the source's sound ends early.
        filters.append("apad=whole_len=\(samples)")
        filters.append("atrim=end_sample=\(samples)")
        // Crossfades: a linear ramp over each transition's whole span.
        if segment.inFrames > 0 {
            filters.append("afade=t=in:st=0:d=\(decimal(clock.seconds(frame: segment.inFrames)))")
        }
        if segment.outFrames > 0 {
            filters.append("afade=t=out:st=\(decimal(clock.seconds(frame: segment.frames - segment.outFrames))):d=\(decimal(clock.seconds(frame: segment.outFrames)))")
        }
        let spans = fadeSpans(segment)
        if let fade = spans.fadeIn { filters.append("afade=t=in:st=\(decimal(fade.start)):d=\(decimal(fade.duration))") }
        if let fade = spans.fadeOut { filters.append("afade=t=out:st=\(decimal(fade.start)):d=\(decimal(fade.duration))") }
        if firstSample > 0 { filters.append("adelay=delays=\(firstSample)S:all=1") }
        chains.append("[\(key)_ain]" + filters.joined(separator: ",") + "[\(key)_a]")
        sounds.append("\(key)_a")
    }
}

extension GraphBuilder {
    /// `atempo` filters for `speed` (pitch kept): one instance takes 0.5...2 in FFmpeg 5.1, so
    /// 0.25...0.5 and 2...4 chain two. Then timestamps count samples again: atempo's own (beyond
    /// 2×) leave amix waiting forever for the stream to catch up.
    package static func tempo(_ speed: Double) -> [String] {
        if speed == 1 { return [] }
        let tempo: [String]
        if speed < 0.5 {
            tempo = ["atempo=0.5", "atempo=\(decimal(speed / 0.5))"]
        } else if speed > 2 {
            tempo = ["atempo=2", "atempo=\(decimal(speed / 2))"]
        } else {
            tempo = ["atempo=\(decimal(speed))"]
        }
        return tempo + ["asetpts=N/SR/TB"]
    }
}
