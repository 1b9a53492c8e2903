extension RenderPlan {
    /// A validated timeline with placeholders filled and its sources resolved: what the plan was
    /// compiled from, kept so the executor can compile variants of it (ranges, picture or sound only).
    struct Document: Sendable, Hashable {
        var timeline: Timeline
        var sources: [ClipIndex: ResolvedSource]
        /// Font files of text and captions clips, and the cues of captions clips, as compiled.
        var fonts: [ClipIndex: String]
        var captions: [ClipIndex: Captions]

        /// The plan of the timeline after `change` (already validated: only windows and streams change).
        func plan(_ change: (inout Timeline) -> Void) -> RenderPlan {
            var changed = timeline
            change(&changed)
            var builder = GraphBuilder(timeline: changed, sources: sources, fonts: fonts, captions: captions)
            var plan = builder.build()
            plan.document = Document(timeline: changed, sources: sources, fonts: fonts, captions: captions)
            return plan
        }

        /// The picture alone of output frames `frames` (a range render without sound), for renders
        /// joined into one file by stream copy; throws unless it has exactly those frames.
        func picturePlan(frames: Range<Int>) throws(Ineligible) -> RenderPlan {
            let clock = FrameClock(rate: RenderCompiler.frameRate(for: timeline.output.fps))
            let part = plan { timeline in
                timeline.output.audio = nil
                timeline.output.range = Timeline.TimeRange(start: clock.seconds(frame: frames.lowerBound), end: clock.seconds(frame: frames.upperBound))
            }
            guard part.totalFrames == frames.count else { throw Ineligible("frames \(frames) would be \(part.totalFrames) frames") }
            return part
        }
    }
}
