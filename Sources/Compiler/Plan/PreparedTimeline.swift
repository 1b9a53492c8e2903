import TimelineModel

/// What `RenderCompiler.prepare` makes of a timeline and `RenderCompiler.build` turns into a plan:
/// validated, placeholders filled, sources resolved, font files found and captions files read.
/// Everything that needs I/O (the resolver, fontconfig, captions files) is done by then. Plans keep
/// it so the executor can have variants of them built (ranges, picture only).
public struct PreparedTimeline: Sendable, Hashable {
    package var timeline: Timeline
    package var sources: [ClipIndex: ResolvedSource]
    /// Font files of text and captions clips, and the cues of captions clips.
    package var fonts: [ClipIndex: String]
    package var captions: [ClipIndex: Captions]

    package init(timeline: Timeline, sources: [ClipIndex: ResolvedSource], fonts: [ClipIndex: String], captions: [ClipIndex: Captions]) {
        self.timeline = timeline
        self.sources = sources
        self.fonts = fonts
        self.captions = captions
    }

    /// The plan of the timeline after `change` (already validated: only windows and streams change).
    package func plan(_ change: (inout Timeline) -> Void) -> RenderPlan {
        var changed = self
        change(&changed.timeline)
        return RenderCompiler.build(changed)
    }

    /// The picture alone of output frames `frames` (a range render without sound), for renders
    /// joined into one file by stream copy; throws unless it has exactly those frames.
    package func picturePlan(frames: Range<Int>) throws(Ineligible) -> RenderPlan {
        let clock = FrameClock(rate: RenderCompiler.frameRate(for: timeline.output.fps))
        let part = plan { timeline in
            timeline.output.audio = nil
            timeline.output.range = Timeline.TimeRange(start: clock.seconds(frame: frames.lowerBound), end: clock.seconds(frame: frames.upperBound))
        }
        guard part.totalFrames == frames.count else { throw Ineligible("frames \(frames) would be \(part.totalFrames) frames") }
        return part
    }
}
