import TimelineModel
import CFontconfig
import Foundation

/// Font families to font files for `drawtext`, through fontconfig, with every answer cached (a
/// fontconfig lookup costs milliseconds and previews compile often).
///
/// Only outline fonts count: drawtext cannot size bitmap-only fonts such as Noto Color Emoji.
/// The generic names `sans-serif`, `serif` and `monospace` mean the DejaVu families, so the default
/// look does not depend on the machine's fontconfig preferences.
public enum FontCatalog {
    /// The family of text whose font names none.
    package static let defaultFamily = "DejaVu Sans"

    /// The font file drawing `family` at `weight`; nil when no installed outline font has that family.
    package static func file(family: String, weight: Timeline.FontWeight) -> String? {
        let name = canonicalFamily(family)
        let key = "\(name.lowercased())|\(weight.rawValue)"
        return fontconfig.withLock { state in
            if let cached = state.files[key] { return cached }
            let found = state.match(family: name, bold: weight == .bold)
            state.files[key] = found
            return found
        }
    }

    /// Installed outline font families, sorted, each once.
    package static var families: [String] {
        fontconfig.withLock { state in
            if let cached = state.families { return cached }
            let found = state.listFamilies()
            state.families = found
            return found
        }
    }

    /// The family name of the font file at `path`; nil when it is not an outline font FreeType can read.
    public static func family(ofFile path: String) -> String? {
        fontconfig.withLock { state in state.query(path: path) }
    }

    /// "unknown font family 'X'; installed families include …" (the generic names' families first).
    package static func unknownFamilyMessage(_ family: String) -> String {
        let all = families
        let generic = [defaultFamily, "DejaVu Serif", "DejaVu Sans Mono"].filter(all.contains)
        let preferred = generic + all.filter { !generic.contains($0) }
        let shown = preferred.prefix(8).joined(separator: ", ")
        let more = all.count > 8 ? " and \(all.count - 8) more" : ""
        return "unknown font family '\(family)'; installed families include \(shown)\(more)"
    }

    /// The generic names as DejaVu families; other names trimmed.
    package static func canonicalFamily(_ family: String) -> String {
        let trimmed = family.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "", "sans-serif", "sans": return defaultFamily
        case "serif": return "DejaVu Serif"
        case "monospace", "mono": return "DejaVu Sans Mono"
        default: return trimmed
        }
    }
}

/// fontconfig's configuration and the catalog's caches.
// @unchecked Sendable: `FontCatalog` reaches the state only through `withLock`.
private final class FontconfigState: @unchecked Sendable {
    private let lock = NSLock()
    /// The loaded configuration (FcConfig); nil when fontconfig found no configuration at all.
    private let config: OpaquePointer?
    var files: [String: String?] = [:]
    var families: [String]?

    init() {
        config = FcInitLoadConfigAndFonts()
    }

    deinit {
        if let config { FcConfigDestroy(config) }
    }

    func withLock<T>(_ body: (FontconfigState) -> T) -> T {
        lock.withLock { body(self) }
    }

    func match(family: String, bold: Bool) -> String? {
        guard let config, let pattern = FcPatternCreate() else { return nil }
        defer { FcPatternDestroy(pattern) }
        _ = cutroom_fc_add_string(pattern, FC_FAMILY, family)
        _ = FcPatternAddInteger(pattern, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR)
        _ = FcPatternAddInteger(pattern, FC_SLANT, FC_SLANT_ROMAN)
        _ = FcConfigSubstitute(config, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let matched = FcFontMatch(config, pattern, &result) else { return nil }
        defer { FcPatternDestroy(matched) }
        // fontconfig always answers with its best font; only a font of the family asked for counts.
        guard isOutline(matched), names(matched).contains(where: { $0.caseInsensitiveCompare(family) == .orderedSame }),
              let file = cutroom_fc_get_string(matched, FC_FILE, 0) else { return nil }
        return String(cString: file)
    }

    func listFamilies() -> [String] {
        guard let config, let pattern = FcPatternCreate() else { return [] }
        defer { FcPatternDestroy(pattern) }
        _ = FcPatternAddBool(pattern, FC_OUTLINE, FcBool(FcTrue))
        guard let objects = FcObjectSetCreate() else { return [] }
        defer { FcObjectSetDestroy(objects) }
        _ = FcObjectSetAdd(objects, FC_FAMILY)
        guard let set = FcFontList(config, pattern, objects) else { return [] }
        defer { FcFontSetDestroy(set) }
        var found: Set<String> = []
        for index in 0..<Int(set.pointee.nfont) {
            if let font = set.pointee.fonts[index], let name = names(font).first { found.insert(name) }
        }
        return found.sorted()
    }

    func query(path: String) -> String? {
        var count: Int32 = 0
        guard let pattern = cutroom_fc_query_file(path, &count) else { return nil }
        defer { FcPatternDestroy(pattern) }
        guard isOutline(pattern) else { return nil }
        return names(pattern).first
    }

    private func isOutline(_ pattern: OpaquePointer) -> Bool {
        var outline = FcBool(FcFalse)
        return FcPatternGetBool(pattern, FC_OUTLINE, 0, &outline) == FcResultMatch && outline != FcBool(FcFalse)
    }

    /// Every family name the pattern carries (a font may name itself in several languages).
    private func names(_ pattern: OpaquePointer) -> [String] {
        var result: [String] = []
        var index: Int32 = 0
        while let name = cutroom_fc_get_string(pattern, FC_FAMILY, index) {
            result.append(String(cString: name))
            index += 1
        }
        return result
    }
}

private let fontconfig = FontconfigState()
