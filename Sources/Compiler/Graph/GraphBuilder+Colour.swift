import TimelineModel
/// Colour: every picture inside the graph is bt709 limited-range YUV, the canvas's model, and every
/// output is tagged with what it holds. FFmpeg 5.1 converts with bt601 wherever nobody says
/// otherwise (swscale's default, drawutils' only YCbCr matrix), so each conversion is explicit:
/// - Sources: `scale` with the source's own matrix and range in (`SourceColour`: its tags, else
///   bt601 below HD and bt709 from HD up, JPEG as full-range bt601) and bt709 limited out (YUV
///   through planar RGB), right after rotation (a still's before it is repeated, a video's after its
///   timing trim), so effects and the fit see canvas YUV. Sources already bt709 limited get none.
/// - Solid colours (`color` clips, the background): drawn once in RGB, converted with bt709 and
///   repeated (`loop`), since `color` would fill YCbCr with bt601 values.
/// - Text: drawtext's colours are handed over as the RGB whose bt601 YCbCr is the bt709 YCbCr of the
///   colour (`RGBAColor.drawnOnBT709`), drawn straight onto the canvas. Colours without such an RGB
///   (saturated ones) are drawn onto a canvas-size RGBA layer converted with bt709 and overlaid.
/// - Outputs: mp4/webm stay bt709 limited and are tagged so (`setparams` tags the frames too, for
///   whoever reads the graph's pictures); JPEG is converted to JFIF's full-range bt601, PNG and GIF
///   to RGB read as bt709.
extension GraphBuilder {
    /// A `width`×`height` picture of `color` on every output frame, timestamps counting frames from 0
    /// (like `color`'s own), as `yuva420p` when `alpha`, else `yuv420p`.
    package func solidColour(_ color: RGBAColor, width: Int, height: Int, alpha: Bool) -> String {
        let drawn = ["color=c=\(color.ffmpeg):s=\(width)x\(height):r=\(rate)", "trim=end_frame=1", "format=\(alpha ? "rgba" : "rgb24")"]
        let repeated = ["format=\(alpha ? "yuva420p" : "yuv420p")", "loop=loop=-1:size=1:start=0", "setpts=N"]
        return (drawn + SourceColour.rgb.conversion() + repeated).joined(separator: ",")
    }

    /// The filter turning a source's pictures into canvas YUV (with alpha if they have it, or may:
    /// a still probed before alpha was); nil when they are already.
    package static func sourceConversion(_ info: MediaInfo) -> String? {
        let alpha = info.hasAlpha ?? info.isImage
        let filters = SourceColour(info).conversion(alpha: alpha)
        return filters.isEmpty ? nil : (filters + ["format=\(alpha ? "yuva420p" : "yuv420p")"]).joined(separator: ",")
    }

    /// How a text or captions clip's layer looks before drawing: its fill, and whether its colours
    /// draw exactly on YUV (else it is RGBA).
    package struct TextLayerLook {
        /// The colour of the text's outermost part (box, outline or glyphs), transparent: drawtext
        /// blends colour as if the frame were opaque (only alpha adds up), so under the soft edges
        /// the layer's own colour shows through.
        package var fill: RGBAColor?
        package var onCanvas: Bool
    }

    package static func layerLook(_ text: Timeline.TextAsset) -> TextLayerLook {
        let outline = text.outline.flatMap { $0.width > 0 ? $0.color : nil }
        return look(outermost: text.box?.color ?? outline ?? text.font.color, colours: textColours(font: text.font, box: text.box, outline: text.outline))
    }

    /// Captions are boxed, or outlined in black (`captionsFilters`).
    package static func layerLook(_ captions: Timeline.CaptionsAsset) -> TextLayerLook {
        look(outermost: captions.box?.color ?? "#000000", colours: textColours(font: captions.font, box: captions.box, outline: captions.box == nil ? Timeline.Outline(color: "#000000") : nil))
    }

    private static func look(outermost: String, colours: [RGBAColor]) -> TextLayerLook {
        var fill = RGBAColor(outermost)
        fill?.alpha = 0
        return TextLayerLook(fill: fill, onCanvas: drawsOnCanvas(colours))
    }

    /// True when every colour can be drawn straight onto the canvas (see `drawnOnBT709`).
    package static func drawsOnCanvas(_ colours: [RGBAColor]) -> Bool {
        colours.allSatisfy { $0.drawnOnBT709 != nil }
    }

    /// The font, box and outline colours text draws with.
    package static func textColours(font: Timeline.Font, box: Timeline.Box?, outline: Timeline.Outline?) -> [RGBAColor] {
        var colours = [RGBAColor(font.color)]
        if let box { colours.append(RGBAColor(box.color)) }
        if let outline, outline.width > 0 { colours.append(RGBAColor(outline.color)) }
        return colours.compactMap { $0 }
    }

    /// drawtext's option value for `color` drawn onto canvas YUV, or onto RGBA (`rgb`).
    package static func drawTextColour(_ color: RGBAColor, rgb: Bool) -> String {
        (rgb ? color : color.drawnOnBT709 ?? color).ffmpeg
    }

    /// A transparent layer cut by `trim` (canvas-size unless `size` is given), drawn on by `drawing`
    /// (drawtext and sendcmd filters), as `yuva420p` canvas colour: drawn in RGBA and converted, or
    /// straight in YUV when the look's colours draw exactly there.
    package func drawingLayer(_ look: TextLayerLook, trim: String, drawing: [String], size: (width: Int, height: Int)? = nil) -> String? {
        guard let fill = look.fill else { return nil }
        let (w, h) = size ?? (width, height)
        let frame = "color=c=\(fill.ffmpeg):s=\(w)x\(h):r=\(rate),\(trim)"
        guard !look.onCanvas else { return ([frame, "format=yuva420p"] + drawing).joined(separator: ",") }
        return ([frame, "format=rgba"] + drawing + SourceColour.rgb.conversion() + ["format=yuva420p"]).joined(separator: ",")
    }

    /// What the output's pictures are converted to (with the preview size, if any) and how they are tagged.
    package func outputColour() -> (filters: [String], tags: RenderPlan.ColourTags) {
        // The preview's size first: the conversions then work on the small picture.
        let size = outputWidth != width ? ["scale=w=\(outputWidth):h=\(outputHeight)"] : []
        switch timeline.output.format {
        case .mp4, .webm:
            let tags = "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709"
            return (size + ["format=yuv420p", tags], .bt709)
        case .jpg:
            return (size + SourceColour.canvas.conversion(to: .jpeg) + ["format=yuvj420p", "setparams=range=pc:colorspace=bt470bg"], .jpeg)
        case .png:
            return (size + SourceColour.canvas.conversion(to: .rgb) + ["format=rgb24"], .sRGB)
        case .gif:
            // palettegen and paletteuse take RGB32 (bgra here): one conversion before both.
            return (size + SourceColour.canvas.conversion(to: .rgb) + ["format=bgra"], RenderPlan.ColourTags())
        }
    }
}
