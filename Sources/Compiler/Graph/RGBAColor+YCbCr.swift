import TimelineModel
/// Colours for FFmpeg 5.1's drawutils (drawtext's font, box and border colours), which turn RGB into
/// YCbCr with bt601 whatever the picture is: on the canvas (bt709) a colour must be given as the RGB
/// whose bt601 YCbCr is the bt709 YCbCr of the wanted one.
extension RGBAColor {
    /// The colour to hand drawutils drawing on bt709 YCbCr so that it lands as `self`; nil when no
    /// 8-bit RGB does (saturated colours: bt709's red, green and blue lie outside bt601's RGB cube).
    /// Greys are themselves (both matrices give them no chroma).
    package var drawnOnBT709: RGBAColor? {
        // The limited-range scaling is the same for both matrices, so it cancels.
        let (y, pb, pr) = bt709
        // The bt601 inverse of that Y'PbPr.
        let r601 = y + 1.402 * pr
        let b601 = y + 1.772 * pb
        let g601 = (y - 0.299 * r601 - 0.114 * b601) / 0.587
        var drawn = self
        var channels: [Int] = []
        for value in [r601, g601, b601] {
            let code = value * 255
            // Within a code value of the cube the error is below what 8-bit YCbCr resolves.
            guard code >= -1, code <= 256 else { return nil }
            channels.append(min(255, max(0, Int(saturating: code.rounded()))))
        }
        (drawn.red, drawn.green, drawn.blue) = (channels[0], channels[1], channels[2])
        return drawn
    }

    /// bt709 Y' (0...1) and Pb, Pr (-0.5...0.5) of the colour.
    package var bt709: (y: Double, pb: Double, pr: Double) {
        let (r, g, b) = (Double(red) / 255, Double(green) / 255, Double(blue) / 255)
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        return (y, (b - y) / 1.8556, (r - y) / 1.5748)
    }

    /// The colour as limited-range bt709 YCbCr in libavutil's colour syntax (`0xYYUUVV`), for
    /// filters that take a YUV key (`chromakey … yuv=1`).
    package var bt709Limited: String {
        let (y, pb, pr) = bt709
        let codes = [16 + 219 * y, 128 + 224 * pb, 128 + 224 * pr].map { min(255, max(0, Int($0.rounded()))) }
        return "0x" + codes.map(hexByte).joined()
    }
}
