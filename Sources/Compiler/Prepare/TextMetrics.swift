import TimelineModel
import CFreeType
import Foundation

/// Widths of text lines as `drawtext` lays them out (its `text_w`), through FreeType, cached.
///
/// drawtext sums each glyph's hinted advance in whole pixels (FT_LOAD_DEFAULT at the pixel size)
/// plus the face's `kern` table, which FFmpeg 5.1 looks up by character code rather than glyph
/// index; doing the same keeps a centred or right-aligned line's measured width equal to the
/// width drawtext positions it by.
package enum TextMetrics {
    /// The width in pixels of `line` drawn from `fontFile` at `size` pixels; nil when FreeType cannot read the font.
    package static func width(of line: String, fontFile: String, size: Int) -> Int? {
        freeType.withLock { state in
            let key = WidthKey(file: fontFile, size: size, line: line)
            if let cached = state.widths[key] { return cached }
            let found = state.measure(line, fontFile: fontFile, size: size)
            state.widths[key] = found
            return found
        }
    }

    /// The height in pixels drawtext gives every line of `text` at `size` pixels (its `max_glyph_h`:
    /// the highest glyph top to the lowest glyph bottom over the whole text, the baseline included);
    /// nil when FreeType cannot read the font.
    package static func lineHeight(of text: String, fontFile: String, size: Int) -> Int? {
        freeType.withLock { $0.lineHeight(text, fontFile: fontFile, size: size) }
    }

    /// drawtext's default `tabsize`: a tab advances to the next multiple of this many spaces.
    fileprivate static let tabSpaces = 4
}

private struct WidthKey: Hashable {
    let file: String
    let size: Int
    let line: String
}

/// FreeType's library, the opened faces and the measured widths.
// @unchecked Sendable: `TextMetrics` reaches the state only through `withLock` (FreeType's
// library and faces are not thread-safe).
private final class FreeTypeState: @unchecked Sendable {
    private let lock = NSLock()
    private var library: FT_Library?
    /// Opened faces by file; nil for a file FreeType cannot read.
    private var faces: [String: FT_Face?] = [:]
    var widths: [WidthKey: Int?] = [:]

    init() {
        if FT_Init_FreeType(&library) != 0 { library = nil }
    }

    deinit {
        for case let face? in faces.values { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    func withLock<T>(_ body: (FreeTypeState) -> T) -> T {
        lock.withLock { body(self) }
    }

    func measure(_ line: String, fontFile: String, size: Int) -> Int? {
        guard let face = face(fontFile), FT_Set_Pixel_Sizes(face, 0, FT_UInt(max(1, size))) == 0 else { return nil }
        let kerning = cutroom_ft_has_kerning(face) != 0
        func advance(_ code: UInt32) -> Int {
            guard FT_Load_Char(face, FT_ULong(code), FT_Int32(FT_LOAD_DEFAULT)) == 0, let slot = face.pointee.glyph else { return 0 }
            return Int(slot.pointee.advance.x >> 6)
        }
        let tab = advance(0x20) * TextMetrics.tabSpaces
        var x = 0
        var previous: UInt32?
        for scalar in line.unicodeScalars {
            let code = scalar.value
            if kerning, let previous {
                var delta = FT_Vector()
                if FT_Get_Kerning(face, FT_UInt(previous), FT_UInt(code), FT_UInt(FT_KERNING_DEFAULT.rawValue), &delta) == 0 {
                    x += Int(delta.x >> 6)
                }
            }
            x = code == 0x09 && tab > 0 ? (x / tab + 1) * tab : x + advance(code)
            previous = code
        }
        return x
    }

    func lineHeight(_ text: String, fontFile: String, size: Int) -> Int? {
        guard let face = face(fontFile), FT_Set_Pixel_Sizes(face, 0, FT_UInt(max(1, size))) == 0 else { return nil }
        // Hinted metrics are on whole pixels already, as drawtext's pixel bounding boxes are.
        var top = 0, bottom = 0
        for scalar in text.unicodeScalars where scalar != "\n" && scalar != "\r" {
            guard FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_DEFAULT)) == 0, let slot = face.pointee.glyph else { continue }
            let metrics = slot.pointee.metrics
            top = max(top, Int((metrics.horiBearingY + 63) >> 6))
            bottom = min(bottom, Int((metrics.horiBearingY - metrics.height) >> 6))
        }
        return top - bottom
    }

    /// Faces kept open and widths remembered at most: a long-running server sees many uploaded
    /// fonts and titles, and this cache must not grow with them.
    static let maxFaces = 16
    static let maxWidths = 20_000

    private func face(_ file: String) -> FT_Face? {
        if let known = faces[file] { return known }
        if faces.count >= Self.maxFaces {
            for case let face? in faces.values { FT_Done_Face(face) }
            faces.removeAll()
        }
        if widths.count >= Self.maxWidths { widths.removeAll() }
        var face: FT_Face?
        // FreeType selects the face's Unicode charmap itself, as drawtext relies on.
        if let library, FT_New_Face(library, file, 0, &face) == 0, let opened = face {
            faces[file] = opened
        } else {
            faces[file] = .some(nil)
        }
        return faces[file] ?? nil
    }
}

private let freeType = FreeTypeState()
