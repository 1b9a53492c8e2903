import TimelineModel
extension Timeline {
    /// Most cues one captions clip may hold: each is a filter in the render's graph.
    public static let maxCues = 10_000

    /// The cues of every captions clip, read from its resolved file (each file once); an issue at
    /// the clip's `asset/src` for a file that does not parse or holds too many cues.
    package func loadCaptions(_ sources: [ClipIndex: ResolvedSource]) -> (captions: [ClipIndex: Captions], issues: [ValidationIssue]) {
        var captions: [ClipIndex: Captions] = [:]
        var issues: [ValidationIssue] = []
        var cache: [String: Result<Captions, RenderError>] = [:]
        for (ti, track) in tracks.enumerated() {
            for (ci, clip) in track.clips.enumerated() {
                let index = ClipIndex(track: ti, clip: ci)
                guard case .captions(let asset) = clip.asset, let source = sources[index], source.content == .captions else { continue }
                let loaded = cache[source.path] ?? Result { () throws(RenderError) in try Captions.load(path: source.path) }
                cache[source.path] = loaded
                let path = "/tracks/\(ti)/clips/\(ci)/asset/src"
                switch loaded {
                case .success(let file) where file.cues.count > Self.maxCues:
                    issues.append(ValidationIssue(path: path, message: "'\(asset.src)' holds \(file.cues.count) cues; at most \(Self.maxCues) are supported"))
                case .success(let file):
                    captions[index] = file
                case .failure(let error):
                    issues.append(ValidationIssue(path: path, message: "'\(asset.src)': \(error.description)"))
                }
            }
        }
        return (captions, issues)
    }
}
