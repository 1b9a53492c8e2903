extension Timeline {
    /// Pixels × pictures of one hour of 1080p at 30 fps: the unit render size limits are given in.
    public static let referenceHour = 3600.0 * 30 * 1920 * 1080

    /// How much picture a render of this timeline makes, in hours of 1080p30 (what its CPU time and
    /// disk grow with): a 24-hour 8K@120 render is 1536, a 10-minute 720p30 render 0.07.
    /// `duration` is `duration(resolve:)`; a still picture is one frame.
    public func workloadHours(duration: Double) -> Double {
        let frames = output.format.isStill ? 1 : max(1, (max(0, duration) * output.fps).rounded(.up))
        return frames * Double(output.width) * Double(output.height) / Self.referenceHour
    }
}
