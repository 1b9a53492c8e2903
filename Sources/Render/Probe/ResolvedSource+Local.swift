import Compiler
import TimelineModel
import Foundation

extension ResolvedSource {
    /// Extensions of captions files (SRT, WebVTT).
    public static let captionsExtensions: Set<String> = ["srt", "vtt"]
    /// Extensions of font files (TrueType, OpenType, collections).
    public static let fontExtensions: Set<String> = ["ttf", "otf", "ttc"]

    /// A local file as the engine sees it: captions and fonts by extension (a font only when
    /// FreeType reads it as an outline font), anything else probed as media; nil when unusable.
    public static func local(path: String) -> ResolvedSource? {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if captionsExtensions.contains(ext) {
            return FileManager.default.isReadableFile(atPath: path) ? .captions(path: path) : nil
        }
        if fontExtensions.contains(ext) {
            return FontCatalog.family(ofFile: path) == nil ? nil : .font(path: path)
        }
        guard let info = try? MediaProbe.probe(path: path) else { return nil }
        return ResolvedSource(path: path, info: info)
    }
}
