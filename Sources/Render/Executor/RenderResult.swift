/// What a finished render measured.
public struct RenderResult: Sendable, Hashable {
    /// Integrated loudness of the output's sound (LUFS), when the document asked for a loudness target.
    public var measuredLoudness: Double?
    /// How the file was made.
    public var method: RenderMethod
    /// Why faster methods were not used (e.g. a cut that is not on a keyframe), for logs.
    public var notes: [String]

    public init(measuredLoudness: Double? = nil, method: RenderMethod = .pipeline, notes: [String] = []) {
        self.measuredLoudness = measuredLoudness
        self.method = method
        self.notes = notes
    }
}

/// Progress reported by the executor, at most once per output frame.
public struct RenderProgress: Sendable, Hashable {
    public var frame: Int
    public var totalFrames: Int
    /// Frames encoded per second of wall time so far.
    public var fps: Double

    public init(frame: Int, totalFrames: Int, fps: Double) {
        self.frame = frame
        self.totalFrames = totalFrames
        self.fps = fps
    }

    /// 0...1.
    public var fraction: Double { totalFrames > 0 ? min(1, Double(frame) / Double(totalFrames)) : 0 }
}
