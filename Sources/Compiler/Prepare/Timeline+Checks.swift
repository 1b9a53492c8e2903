import TimelineModel
import Foundation

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

extension RenderCompiler {
    /// Every problem of a document in one list: its reading (unknown keys, wrong types, ranges) and
    /// its checks against the sources (overlaps, missing assets, fonts…), so an unknown key does not
    /// hide an overlap. A check is left out where the reading already reported that place (its value
    /// is a fallback there).
    public static func issues(of reading: TimelineDocument.Reading, merge: [String: String] = [:], resolve: SourceResolver) -> [ValidationIssue] {
        var issues = reading.issues
        for issue in reading.timeline.validate(merge: merge, resolve: resolve) where !issues.contains(issue) && !reading.reports(issue) {
            issues.append(issue)
        }
        return issues
    }
}
