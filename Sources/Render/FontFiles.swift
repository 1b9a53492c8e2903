import Foundation

/// Maps a font family and weight to a font file for `drawtext`.
///
/// The DejaVu families are known (`DejaVu Sans`, `DejaVu Serif`, `DejaVu Sans Mono`, and the
/// generic names `sans-serif`, `serif`, `monospace`); any other family falls back to DejaVu Sans.
enum FontFiles {
    static let directory = "/usr/share/fonts/truetype/dejavu"

    static func path(family: String, weight: Timeline.FontWeight) -> String {
        let base: String
        switch family.lowercased().trimmingCharacters(in: .whitespaces) {
        case "dejavu serif", "serif": base = "DejaVuSerif"
        case "dejavu sans mono", "monospace", "mono": base = "DejaVuSansMono"
        default: base = "DejaVuSans"
        }
        return "\(directory)/\(base)\(weight == .bold ? "-Bold" : "").ttf"
    }
}
