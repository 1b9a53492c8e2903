import Testing

extension Tag {
    /// End-to-end tests that encode real media; quick local runs may skip them, CI runs them all.
    @Tag static var slow: Self
}
