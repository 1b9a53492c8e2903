import Testing

extension Tag {
    /// Tests that run the ffmpeg command-line tool.
    @Tag static var slow: Tag
}
