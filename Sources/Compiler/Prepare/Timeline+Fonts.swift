import TimelineModel
extension Timeline {
    /// The font file of every text and captions clip: its `font.src`, or the installed family's file
    /// at its weight. Issues: unknown families, and a `font.src` that is missing or not a font.
    package func fontFiles(_ resolve: SourceResolver) -> (files: [ClipIndex: String], issues: [ValidationIssue]) {
        var files: [ClipIndex: String] = [:]
        var issues: [ValidationIssue] = []
        // Resolving a font file asks fontconfig about it: once per file, however many clips use it.
        var resolved: [String: ResolvedSource?] = [:]
        for (ti, track) in tracks.enumerated() {
            for (ci, clip) in track.clips.enumerated() {
                guard let font = clip.asset.font else { continue }
                let path = "/tracks/\(ti)/clips/\(ci)/asset/font"
                let index = ClipIndex(track: ti, clip: ci)
                guard let src = font.src else {
                    if let file = FontCatalog.file(family: font.family, weight: font.weight) {
                        files[index] = file
                    } else {
                        issues.append(ValidationIssue(path: path + "/family", message: FontCatalog.unknownFamilyMessage(font.family)))
                    }
                    continue
                }
                // Placeholders without a value are reported with the other placeholders.
                guard Placeholders.names(in: src).isEmpty else { continue }
                guard !src.isEmpty else {
                    issues.append(ValidationIssue(path: path + "/src", message: "must not be empty"))
                    continue
                }
                let source = resolved[src] ?? resolve(src)
                resolved[src] = source
                guard let source else {
                    issues.append(ValidationIssue(path: path + "/src", message: "font '\(src)' not found"))
                    continue
                }
                guard source.content == .font else {
                    issues.append(ValidationIssue(path: path + "/src", message: "'\(src)' is not a font file (TrueType or OpenType)"))
                    continue
                }
                files[index] = source.path
            }
        }
        return (files, issues)
    }
}
