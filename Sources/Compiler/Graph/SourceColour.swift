import TimelineModel
/// How a source's decoded pictures encode colour, and the `scale` options that convert them to the
/// canvas: every picture inside a render's graph is bt709 limited-range YUV (or RGB on its way
/// there). Tagged sources are read by their tags; untagged ones as players read them: bt601 below
/// HD, bt709 from 720 lines (or 1280 columns) up, JPEG as JFIF's full-range bt601.
package struct SourceColour: Hashable, Sendable {
    /// The YCbCr matrix, by vf_scale's names (`rgb` for RGB and palette pictures).
    package var matrix: String
    package var fullRange: Bool

    /// The canvas (and every mp4/webm output): bt709, limited range.
    package static let canvas = SourceColour(matrix: "bt709", fullRange: false)
    /// RGB pictures (PNG and GIF sources and outputs, text layers).
    package static let rgb = SourceColour(matrix: "rgb", fullRange: true)
    /// JPEG (JFIF): full-range bt601.
    package static let jpeg = SourceColour(matrix: "bt601", fullRange: true)

    package init(matrix: String, fullRange: Bool) {
        self.matrix = matrix
        self.fullRange = fullRange
    }

    /// - Parameters:
    ///   - colorSpace: libav's name of the tagged matrix (`av_color_space_name`), nil when untagged.
    ///   - colorRange: `tv` or `pc`, nil when untagged.
    ///   - isRGB: the decoded pixel format is RGB or a palette.
    ///   - codec: the decoder's name (`mjpeg` pictures are full-range bt601 unless tagged otherwise).
    package init(colorSpace: String?, colorRange: String?, isRGB: Bool, codec: String?, width: Int, height: Int) {
        if isRGB || colorSpace == "gbr" {
            self.init(matrix: "rgb", fullRange: true)
            return
        }
        let jpeg = codec == "mjpeg"
        let matrix: String
        switch colorSpace {
        case "bt709": matrix = "bt709"
        case "smpte170m", "bt470bg": matrix = "bt601"
        case "fcc": matrix = "fcc"
        case "smpte240m": matrix = "smpte240m"
        case "bt2020nc", "bt2020c": matrix = "bt2020"
        default: matrix = !jpeg && (min(width, height) >= 720 || max(width, height) >= 1280) ? "bt709" : "bt601"
        }
        self.init(matrix: matrix, fullRange: colorRange.map { $0 == "pc" } ?? jpeg)
    }

    /// A probed source. Infos stored before colour was probed fall back on the codec or the image
    /// demuxer (`png_pipe`): the still formats that decode to RGB, else the untagged rules.
    package init(_ info: MediaInfo) {
        let rgbCodecs: Set<String> = ["png", "apng", "gif", "bmp", "tiff", "ppm", "pam", "qoi"]
        let demuxer = info.format.hasSuffix("_pipe") ? String(info.format.dropLast(5)) : info.format
        let isRGB = info.colorSpace == nil && (info.videoCodec.map(rgbCodecs.contains) ?? rgbCodecs.contains(demuxer))
        self.init(colorSpace: info.colorSpace, colorRange: info.colorRange, isRGB: isRGB, codec: info.videoCodec, width: info.width ?? 0, height: info.height ?? 0)
    }

    /// `in_color_matrix`/`in_range` options reading these pictures (none for RGB, which has neither).
    package var inputOptions: [String] {
        matrix == "rgb" ? [] : ["in_color_matrix=\(matrix)", "in_range=\(fullRange ? "pc" : "tv")"]
    }

    /// The filters converting these pictures to `target`, without the final `format`: one `scale`
    /// to or from RGB. YUV to YUV of another matrix or range goes through planar RGB (`gbrp`, or
    /// `gbrap` keeping `alpha`): swscale's direct YUV-to-YUV conversion is inexact (bt601 #3366CC
    /// came out 3 codes dark). Empty when they already are `target` (a `scale` given colour options
    /// converts even at the same size, so none is added then).
    package func conversion(to target: SourceColour = .canvas, alpha: Bool = false) -> [String] {
        guard self != target else { return [] }
        let output = target.matrix == "rgb" ? [] : ["out_color_matrix=\(target.matrix)", "out_range=\(target.fullRange ? "pc" : "tv")"]
        if matrix == "rgb" || target.matrix == "rgb" { return ["scale=" + (inputOptions + output).joined(separator: ":")] }
        return ["scale=" + inputOptions.joined(separator: ":"), "format=\(alpha ? "gbrap" : "gbrp")", "scale=" + output.joined(separator: ":")]
    }
}
