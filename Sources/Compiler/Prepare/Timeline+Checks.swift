import TimelineModel

extension Timeline {
    /// Every problem of the timeline against its sources, each with a JSON Pointer.
    ///
    /// Includes the range checks `TimelineDocument.decode` makes, then: placeholders without a
    /// value (`merge` overrides the document's `merge`), missing sources, sources of the wrong kind
    /// (media for captions, captions or fonts for media), sources without the needed stream, unknown
    /// font families and `font.src` files that are not fonts, clips running past the end of their
    /// source, overlapping clips, transitions without a touching previous clip or longer than
    /// either clip, an empty timeline, and every feature this engine cannot render yet ("… is not
    /// supported by this engine yet"). Captions files are read by `RenderCompiler.compile`, where
    /// their bytes are local.
    public func validate(merge: [String: String] = [:], resolve: SourceResolver) -> [ValidationIssue] {
        var (issues, merged) = documentIssues(merge: merge, resolve: resolve)
        issues += merged.fontFiles(resolve).issues
        issues += RenderCompiler.unsupportedIssues(merged)
        return issues
    }
}
