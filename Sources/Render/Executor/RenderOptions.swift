import Compiler
import TimelineModel
import Foundation

/// Which faster ways of making the same file the executor may use.
public struct RenderOptions: Sendable, Hashable {
    /// Copy the sources' packets when the timeline is nothing but exact hard cuts of matching sources.
    public var streamCopy: Bool
    /// Picture segments rendered in parallel for long MP4/WebM timelines; 1 renders in one pass.
    public var segments: Int

    /// Defaults: stream copy on, one segment per core.
    public init(streamCopy: Bool = true, segments: Int? = nil) {
        self.streamCopy = streamCopy
        self.segments = segments ?? ProcessInfo.processInfo.activeProcessorCount
    }
}
