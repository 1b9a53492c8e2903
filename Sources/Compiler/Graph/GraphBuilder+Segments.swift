import TimelineModel

extension GraphBuilder {
    static func labelKey(track: Int, clip: Int, id: String) -> String {
        let cleaned = String(id.unicodeScalars.prefix(32).map { scalar -> Character in
            Character(scalar).isASCII && (Character(scalar).isLetter || Character(scalar).isNumber || scalar == "_") ? Character(scalar) : "_"
        })
        return "t\(track)c\(clip)_\(cleaned)"
    }

    /// A clip on the output frame grid, with the frames transitions borrow around it.
    package struct Segment {
        package var clip: Timeline.Clip
        package var key: String
        package var source: ResolvedSource?
        /// Text and captions: the font file and (captions) the cues.
        package var fontFile: String?
        package var captions: Captions?
        /// First and past-the-end frame of the clip itself.
        package var start: Int
        package var end: Int
        /// Frames shown before `start` / after `end`, inside transitions.
        package var head = 0
        package var tail = 0
        /// Frames of the incoming / outgoing transition (the sound's crossfade ramps).
        package var inFrames = 0
        package var outFrames = 0
        package var inTransition: Timeline.TransitionType?
        /// Frames at the stream's start that lie before the rendered window: not decoded where
        /// the input can seek past them, and dropped before any per-frame work.
        package var skip = 0

        package var nominal: Int { end - start }
        package var frames: Int { head + nominal + tail }
        /// Timeline frame of the stream's first frame.
        package var streamStart: Int { start - head }
        /// Keeps the stream's frames from `skip` on, up to `frames`; timestamps stay the stream's own.
        package var trimFrames: String { skip > 0 ? "trim=start_frame=\(skip):end_frame=\(frames)" : "trim=end_frame=\(frames)" }
    }

    /// A track's clips on the frame grid, joined into transition groups, without what lies outside the window.
    func windowGroups(_ ti: Int) -> [[Segment]] {
        let track = timeline.tracks[ti]
        let order = track.clips.indices.sorted { (track.clips[$0].start, $0) < (track.clips[$1].start, $1) }
        // Clips joined by transitions form one group, rendered as one stream (an xfade chain).
        var groups: [[Segment]] = []
        for ci in order {
            let clip = track.clips[ci]
            let source = sources[ClipIndex(track: ti, clip: ci)]
            guard let length = timeline.effectiveLength(of: clip, source: source) else { continue }
            // Cut at the timeline's end, not the window's: a transition just past the window still
            // shapes the frames inside it. What lies outside the window is dropped below.
            let start = min(clock.frame(at: clip.start), timelineFrames)
            let end = min(clock.frame(at: clip.start + length), timelineFrames)
            guard end > start else { continue }
            var segment = Segment(clip: clip, key: Self.labelKey(track: ti, clip: ci, id: clip.id), source: source, start: start, end: end)
            segment.fontFile = fonts[ClipIndex(track: ti, clip: ci)]
            segment.captions = captions[ClipIndex(track: ti, clip: ci)]
            if let transition = clip.transition, var group = groups.last, var previous = group.last, abs(previous.end - start) <= 1 {
                previous.end = start
                let frames = min(clock.frame(at: transition.duration), previous.nominal, segment.nominal)
                if frames > 0 {
                    // Centred on the cut: half before it (this clip's head), half after (the previous clip's tail).
                    let before = frames / 2
                    previous.tail = frames - before
                    previous.outFrames = frames
                    segment.head = before
                    segment.inFrames = frames
                    segment.inTransition = transition.type
                    group[group.count - 1] = previous
                    group.append(segment)
                    groups[groups.count - 1] = group
                    continue
                }
            }
            groups.append([segment])
        }
        var kept: [[Segment]] = []
        for whole in groups {
            // Members wholly outside the window add nothing, and a transition to or from one of them lies
            // outside the window too: the members kept lose that transition (exact inside the window).
            var group = whole.filter { $0.streamStart + $0.frames > firstFrame && $0.streamStart < totalFrames }
            guard !group.isEmpty else { continue }
            if group[0].key != whole[0].key {
                group[0].head = 0
                group[0].inFrames = 0
                group[0].inTransition = nil
            }
            if group[group.count - 1].key != whole[whole.count - 1].key {
                group[group.count - 1].tail = 0
                group[group.count - 1].outFrames = 0
            }
            skipBeforeWindow(&group)
            kept.append(group)
        }
        return kept
    }
}
