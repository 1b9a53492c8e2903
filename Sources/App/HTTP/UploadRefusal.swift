/// Why an uploaded file was refused after it arrived; `ErrorMiddleware` answers it. `name` is the
/// file's display name.
enum UploadRefusal: Error {
    /// Not media the engine can read (nor captions or a font).
    case unreadableMedia(name: String, reason: String)
    /// A captions file its reader refused.
    case unreadableCaptions(name: String, reason: String)
    /// A captions file with more cues than a captions clip may use.
    case tooManyCues(name: String, count: Int, limit: Int)
    /// A font FreeType cannot read as a scalable font.
    case unreadableFont(name: String)
}
