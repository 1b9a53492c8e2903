import Foundation

/// Text and captions clips: `drawtext` straight onto the canvas, enabled by the frame's timestamp.
/// Both go through `drawTextBlock`, so a caption looks like a text clip with the same font and box.
/// Text inside a transition is drawn onto a layer of its own (`RenderCompiler+Transitions.swift`).
extension GraphBuilder {
    /// How one text or captions clip draws its text.
    struct TextStyle {
        var font: Timeline.Font
        var fontFile: String
        var align: Timeline.TextAlign
        var box: Timeline.Box?
        var outline: Timeline.Outline?
        /// Pixels kept clear of the canvas edges the text is anchored to (captions' safe margin, and
        /// the cues they stack beyond).
        var insetX = 0
        var insetY = 0
    }

    /// One drawtext's text and place: a whole block, or one line of a centred/right-aligned one.
    struct TextLine {
        var text: String
        /// drawtext expressions.
        var x: String
        var y: String
    }

    /// The options every drawtext of a clip shares, around its text (`head`, then text, `look`,
    /// x, y, then `tail`), and its lines.
    struct TextLayout {
        var head: [String]
        var look: [String]
        var tail: [String]
        var lines: [TextLine]

        func options(_ line: TextLine, enable: String?) -> [String] {
            head + ["text=" + FilterEscaping.optionValue(line.text)] + look + ["x='\(line.x)'", "y='\(line.y)'"] + tail + (enable.map { ["enable='\($0)'"] } ?? [])
        }
    }

    mutating func addText(_ segment: Segment, text: Timeline.TextAsset) {
        guard let fontFile = segment.fontFile else { return }
        let style = TextStyle(font: text.font, fontFile: fontFile, align: text.align, box: text.box, outline: text.outline)
        guard let layout = layout(text.text, style: style, segment: segment) else { return }
        let enable = enableExpression(from: segment.start, to: segment.end)
        drawText(layout.lines.map { "drawtext=" + layout.options($0, enable: enable).joined(separator: ":") }, style: style, segment: segment)
    }

    /// Cue times are the file's: the clip shows the file from `trim` on at `speed`, cut at the clip's
    /// end. Only cues inside the rendered window are drawn. A graph with a drawtext per cue line is
    /// slow (libavfilter scans every filter for each step) and costs ~400 KB a filter, so the lines
    /// share a few drawtexts ("slots": as many as lines show at once); `sendcmd` gives a slot its
    /// next line (`reinit` of text, x, y) and time (`enable`) when the previous one has ended.
    mutating func addCaptions(_ segment: Segment, captions asset: Timeline.CaptionsAsset) {
        guard let fontFile = segment.fontFile, let captions = segment.captions else { return }
        let clip = segment.clip
        let size = Self.fontSize(asset.font, clip: clip)
        let anchor = Self.anchor(clip.position)
        // Lines line up on the side the captions sit on, so multi-line cues need no measured width.
        let align: Timeline.TextAlign = anchor.x == 0 ? .left : anchor.x == 1 ? .right : .center
        // Without a box, an outline keeps white text readable on any picture.
        let outline = asset.box == nil ? Timeline.Outline(color: "#000000", width: max(2, (Double(size) / 16).rounded())) : nil
        let style = TextStyle(
            font: asset.font, fontFile: fontFile, align: align, box: asset.box, outline: outline,
            insetX: Int((Double(width) * Self.captionsMargin).rounded()), insetY: Int((Double(height) * Self.captionsMargin).rounded()))
        let first = max(segment.start, firstFrame), last = min(segment.end, totalFrames)
        let pitch = Self.linePitch(size) + 2 * Int((asset.box?.padding ?? 0).rounded())
        var layoutOptions: TextLayout?
        var slots: [[(from: Int, to: Int, line: TextLine)]] = []
        // Cues still showing when a cue starts (also before the window): it stacks beyond them,
        // away from the edge the captions are anchored to, instead of over them.
        var showing: [(to: Int, reach: Int)] = []
        for cue in captions.cues {
            let from = max(segment.start, clock.frame(at: clip.start + (cue.start - clip.trim) / clip.speed))
            // Cues are in order of start: the rest begin after the window.
            if from >= last { break }
            let to = min(segment.end, clock.frame(at: clip.start + (cue.end - clip.trim) / clip.speed))
            guard to > from else { continue }
            showing.removeAll { $0.to <= from }
            let stacked = showing.map(\.reach).max() ?? 0
            showing.append((to, stacked + Self.lines(cue.text).count * pitch))
            var cueStyle = style
            cueStyle.insetY += stacked
            guard to > first, let layout = layout(cue.text, style: cueStyle, segment: segment) else { continue }
            layoutOptions = layout
            for line in layout.lines {
                if let free = slots.firstIndex(where: { ($0.last?.to ?? 0) <= from }) {
                    slots[free].append((from, to, line))
                } else {
                    slots.append([(from, to, line)])
                }
            }
        }
        guard let layout = layoutOptions else { return }
        var filters: [String] = []
        var commands: [String] = []
        for (index, slot) in slots.enumerated() {
            guard let head = slot.first else { continue }
            let name = "drawtext@\(segment.key)_\(index)"
            filters.append(name + "=" + layout.options(head.line, enable: enableExpression(from: head.from, to: head.to)).joined(separator: ":"))
            for next in slot.dropFirst() {
                let line = next.line
                // Parsed by reinit's option parser, then as one token of sendcmd's command.
                let options = ["text=" + FilterEscaping.optionLevel(line.text), "x=" + FilterEscaping.optionLevel(line.x), "y=" + FilterEscaping.optionLevel(line.y)]
                let reinit = FilterEscaping.commandLevel(options.joined(separator: ":"))
                let enable = FilterEscaping.commandLevel(enableExpression(from: next.from, to: next.to))
                // At the slot's switch (half a frame early, like enable): the frame of `from` already sees it.
                let time = max(0, clock.seconds(frame: next.from) - clock.seconds(frame: 1) / 2)
                commands.append("\(decimal(time)) \(name) reinit \(reinit), \(name) enable \(enable)")
            }
        }
        if !commands.isEmpty {
            filters.insert("sendcmd=commands=" + FilterEscaping.optionValue(commands.joined(separator: ";")), at: 0)
        }
        drawText(filters, style: style, segment: segment)
    }

    /// Captions keep this fraction of the canvas clear at the edges they are anchored to.
    static let captionsMargin = 0.05

    static func fontSize(_ font: Timeline.Font, clip: Timeline.Clip) -> Int {
        max(1, Int((font.size * clip.scale).rounded()))
    }

    /// drawtext's timeline expression for frames `from..<to`: by timestamp (the canvas counts
    /// timeline frames), not by `n`, which restarts in a range; half a frame either side.
    private func enableExpression(from: Int, to: Int) -> String {
        let half = clock.seconds(frame: 1) / 2
        return "between(t,\(decimal(clock.seconds(frame: from) - half)),\(decimal(clock.seconds(frame: to) - half)))"
    }

    /// A text clip on a transparent canvas-size layer, its own stream (a transition's member): t is
    /// stream time (0 at the transition head), always shown; the layer gets the opacity and fades as alpha.
    func layeredText(_ segment: Segment, text: Timeline.TextAsset) -> String? {
        guard let fontFile = segment.fontFile else { return nil }
        let style = TextStyle(font: text.font, fontFile: fontFile, align: text.align, box: text.box, outline: text.outline)
        guard let layout = layout(text.text, style: style, segment: segment, layered: true), !layout.lines.isEmpty,
              let layer = textLayer(style, trim: segment.trimFrames, drawing: layout.lines.map { "drawtext=" + layout.options($0, enable: nil).joined(separator: ":") })
        else { return nil }
        return ([layer] + alpha(segment)).joined(separator: ",")
    }

    /// How `text` is drawn in `style`; placement, opacity, keyframes and fades follow the clip's
    /// whole span (`segment`). Nil when its colour is not one. `layered`: see `layeredText`.
    private func layout(_ text: String, style: TextStyle, segment: Segment, layered: Bool = false) -> TextLayout? {
        let clip = segment.clip
        let font = style.font
        guard let color = RGBAColor(font.color) else { return nil }
        let anchor = Self.anchor(clip.position)
        let start = clock.seconds(frame: segment.start)
        let end = clock.seconds(frame: segment.end)
        // drawtext's t is timeline time on the canvas, stream time on a layer; keys are clip time.
        let u = "(t-\(decimal(layered ? clock.seconds(frame: segment.head) : start)))"
        let insetX = anchor.x == 0 ? style.insetX : anchor.x == 1 ? -style.insetX : 0
        let insetY = anchor.y == 0 ? style.insetY : anchor.y == 1 ? -style.insetY : 0
        let dx = offsetTerm(clip.curve(.offsetX), fixed: clip.offset.x, size: width, inset: insetX, u: u, variable: "w")
        let dy = offsetTerm(clip.curve(.offsetY), fixed: clip.offset.y, size: height, inset: insetY, u: u, variable: "h")
        let size = Self.fontSize(font, clip: clip)
        // Colours for the picture drawtext draws on: RGBA when they cannot be drawn exactly on YUV.
        let rgb = !Self.drawsOnCanvas(style)
        let head = [
            "fontfile=" + FilterEscaping.optionValue(style.fontFile),
            "expansion=none",
        ]
        let look = [
            "fontsize=\(size)",
            "fontcolor=\(Self.drawTextColour(color, rgb: rgb))",
        ]
        var tail: [String] = []
        if let box = style.box, let boxColor = RGBAColor(box.color) {
            tail += ["box=1", "boxcolor=\(Self.drawTextColour(boxColor, rgb: rgb))", "boxborderw=\(Int(box.padding.rounded()))"]
        }
        if let outline = style.outline, let outlineColor = RGBAColor(outline.color), outline.width > 0 {
            tail += ["borderw=\(Int(outline.width.rounded()))", "bordercolor=\(Self.drawTextColour(outlineColor, rgb: rgb))"]
        }
        var alpha: [String] = []
        if let curve = clip.curve(.opacity) {
            alpha.append("(\(curve.expression(u: u)))")
        } else if clip.opacity < 1 {
            alpha.append(decimal(clip.opacity))
        }
        if clip.fadeIn > 0 { alpha.append("clip((t-\(decimal(start)))/\(decimal(clip.fadeIn)),0,1)") }
        if clip.fadeOut > 0 { alpha.append("clip((\(decimal(end))-t)/\(decimal(clip.fadeOut)),0,1)") }
        if !alpha.isEmpty && !layered { tail.append("alpha='\(alpha.joined(separator: "*"))'") }

        let lines = Self.lines(text)
        if lines.count == 1 || style.align == .left {
            // drawtext lays out several lines itself, left-aligned inside the block.
            let line = TextLine(text: text, x: "(w-text_w)*\(decimal(anchor.x))\(dx)", y: "(h-text_h)*\(decimal(anchor.y))\(dy)")
            return TextLayout(head: head, look: look, tail: tail, lines: [line])
        }
        // Centred or right-aligned lines: one drawtext each, on a fixed line pitch, each line's
        // baseline at its own place (y is the line's top minus its ascent), so lines with and
        // without tall letters line up. Validation allows this only where the alignment matches
        // the anchor (centre/right), so no line needs the block's width.
        let pitch = Self.linePitch(size)
        let ascent = Self.lineAscent(size)
        let block = pitch * lines.count
        let placed = lines.enumerated().filter { !$0.element.isEmpty }.map { index, line in
            TextLine(
                text: line, x: style.align == .center ? "(w-text_w)*0.5\(dx)" : "w-text_w\(dx)",
                y: "(h-\(block))*\(decimal(anchor.y))+\(index * pitch + ascent)-ascent\(dy)")
        }
        return TextLayout(head: head, look: look, tail: tail, lines: placed)
    }

    /// Draws with `filters` (`drawtext=…`, `sendcmd=…`) onto the canvas, as the next canvas; or, when
    /// the style's colours cannot be drawn exactly on YUV, onto an RGBA layer over the clip's frames
    /// in the window (timeline timestamps, like the canvas's), overlaid.
    private mutating func drawText(_ filters: [String], style: TextStyle, segment: Segment) {
        guard !filters.isEmpty else { return }
        guard Self.drawsOnCanvas(style) else {
            let from = max(segment.start, firstFrame), to = min(segment.end, totalFrames)
            let shift = from > 0 ? ["setpts=PTS+\(from)"] : []
            guard to > from, let layer = textLayer(style, trim: "trim=end_frame=\(to - from)", drawing: shift + filters) else { return }
            chains.append(layer + "[\(segment.key)_text]")
            overlay("\(segment.key)_text", x: "0", y: "0")
            return
        }
        layer += 1
        let next = "canvas\(layer)"
        chains.append("[\(canvas)]\(filters.joined(separator: ","))[\(next)]")
        canvas = next
    }

    /// `+<pixels>` of a fixed offset plus `inset` pixels, or `+(<curve>)*<variable>` of a keyframed
    /// one (plus the inset); "" for none.
    private func offsetTerm(_ curve: KeyframeCurve?, fixed: Double, size: Int, inset: Int, u: String, variable: String) -> String {
        let insetTerm = inset == 0 ? "" : inset > 0 ? "+\(inset)" : "\(inset)"
        if let curve { return "+(\(curve.expression(u: u)))*\(variable)" + insetTerm }
        let pixels = Int((fixed * Double(size)).rounded()) + inset
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
