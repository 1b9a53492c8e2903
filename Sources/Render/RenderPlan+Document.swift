extension RenderPlan {
    /// A validated timeline with placeholders filled and its sources resolved: what the plan was
    /// compiled from, kept so the executor can compile variants of it (ranges, picture or sound only).
    struct Document: Sendable, Hashable {
        var timeline: Timeline
        var sources: [ClipIndex: ResolvedSource]

        /// The plan of the timeline after `change` (already validated: only windows and streams change).
        func plan(_ change: (inout Timeline) -> Void) -> RenderPlan {
            var changed = timeline
            change(&changed)
            var builder = GraphBuilder(timeline: changed, sources: sources)
            var plan = builder.build()
            plan.document = Document(timeline: changed, sources: sources)
            return plan
        }
    }
}
