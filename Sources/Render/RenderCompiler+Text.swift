import Foundation

/// Text clips: `drawtext` straight onto the canvas, enabled by the frame's timestamp.
extension GraphBuilder {
    mutating func addText(_ segment: Segment, text: Timeline.TextAsset) {
        let clip = segment.clip
        let font = text.font
        guard let color = RGBAColor(font.color) else { return }
        let anchor = Self.anchor(clip.position)
        let start = clock.seconds(frame: segment.start)
        let end = clock.seconds(frame: segment.end)
        // drawtext's t is timeline time; keys are clip time.
        let u = "(t-\(decimal(start)))"
        let dx = offsetTerm(clip.curve(.offsetX), fixed: clip.offset.x, size: width, u: u, variable: "w")
        let dy = offsetTerm(clip.curve(.offsetY), fixed: clip.offset.y, size: height, u: u, variable: "h")
        let size = max(1, Int((font.size * clip.scale).rounded()))
        let common = [
            "fontfile=" + FilterEscaping.optionValue(FontFiles.path(family: font.family, weight: font.weight)),
            "expansion=none",
        ]
        let style = [
            "fontsize=\(size)",
            "fontcolor=\(color.ffmpeg)",
        ]
        var decoration: [String] = []
        if let box = text.box, let boxColor = RGBAColor(box.color) {
            decoration += ["box=1", "boxcolor=\(boxColor.ffmpeg)", "boxborderw=\(Int(box.padding.rounded()))"]
        }
        if let outline = text.outline, let outlineColor = RGBAColor(outline.color), outline.width > 0 {
            decoration += ["borderw=\(Int(outline.width.rounded()))", "bordercolor=\(outlineColor.ffmpeg)"]
        }
        var alpha: [String] = []
        if let curve = clip.curve(.opacity) {
            alpha.append("(\(curve.expression(u: u)))")
        } else if clip.opacity < 1 {
            alpha.append(decimal(clip.opacity))
        }
        if clip.fadeIn > 0 { alpha.append("clip((t-\(decimal(start)))/\(decimal(clip.fadeIn)),0,1)") }
        if clip.fadeOut > 0 { alpha.append("clip((\(decimal(end))-t)/\(decimal(clip.fadeOut)),0,1)") }
        var timing = decoration
        if !alpha.isEmpty { timing.append("alpha='\(alpha.joined(separator: "*"))'") }
        // By timestamp (the canvas counts timeline frames), not by `n`, which restarts in a range; half a frame either side.
        let half = clock.seconds(frame: 1) / 2
        timing.append("enable='between(t,\(decimal(start - half)),\(decimal(end - half)))'")

        let lines = Self.lines(text.text)
        if lines.count == 1 || text.align == .left {
            // drawtext lays out several lines itself, left-aligned inside the block.
            let x = "(w-text_w)*\(decimal(anchor.x))\(dx)"
            let y = "(h-text_h)*\(decimal(anchor.y))\(dy)"
            drawText(common + ["text=" + FilterEscaping.optionValue(text.text)] + style + ["x='\(x)'", "y='\(y)'"] + timing)
            return
        }
        // Centred or right-aligned lines: one drawtext each, on a fixed line pitch, each line's
        // baseline at its own place (y is the line's top minus its ascent), so lines with and
        // without tall letters line up. Validation allows this only where the alignment matches
        // the anchor (centre/right), so no line needs the block's width.
        let pitch = Self.linePitch(size)
        let ascent = Self.lineAscent(size)
        let block = pitch * lines.count
        for (index, line) in lines.enumerated() where !line.isEmpty {
            let x = text.align == .center ? "(w-text_w)*0.5\(dx)" : "w-text_w\(dx)"
            let y = "(h-\(block))*\(decimal(anchor.y))+\(index * pitch + ascent)-ascent\(dy)"
            drawText(common + ["text=" + FilterEscaping.optionValue(line)] + style + ["x='\(x)'", "y='\(y)'"] + timing)
        }
    }

    private mutating func drawText(_ options: [String]) {
        layer += 1
        let next = "canvas\(layer)"
        chains.append("[\(canvas)]drawtext=\(options.joined(separator: ":"))[\(next)]")
        canvas = next
    }

    /// `+<pixels>` of a fixed offset, or `+(<curve>)*<variable>` of a keyframed one; "" for none.
    private func offsetTerm(_ curve: KeyframeCurve?, fixed: Double, size: Int, u: String, variable: String) -> String {
        if let curve { return "+(\(curve.expression(u: u)))*\(variable)" }
        let pixels = Int((fixed * Double(size)).rounded())
        return pixels == 0 ? "" : pixels > 0 ? "+\(pixels)" : "\(pixels)"
    }

    /// The text's lines (`\n`, `\r\n`).
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Baseline-to-baseline distance of text lines: 1.2 em, like CSS's `normal` for most fonts.
    static func linePitch(_ fontSize: Int) -> Int {
        Int((Double(fontSize) * 1.2).rounded())
    }

    /// Top of a line to its baseline: DejaVu's ascent (0.93 em) plus half the extra leading.
    static func lineAscent(_ fontSize: Int) -> Int {
        Int((Double(fontSize) * (0.928 + (1.2 - 1.164) / 2)).rounded())
    }

    /// True when a multi-line `align` needs no measured block width at `position`: left always
    /// (drawtext's own layout), centre at a horizontally centred anchor, right at a right one.
    static func canAlign(_ align: Timeline.TextAlign, at position: Timeline.Position) -> Bool {
        switch align {
        case .left: return true
        case .center: return anchor(position).x == 0.5
        case .right: return anchor(position).x == 1
        }
    }
}
