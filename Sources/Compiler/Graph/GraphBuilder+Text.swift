import TimelineModel
import Foundation

/// Text and captions clips without effects: `drawtext` straight onto the canvas, enabled by the
/// frame's timestamp. Both go through `drawTextBlock`, so a caption looks like a text clip with the
/// same font and box. Text inside a transition or with effects is drawn onto a layer of its own
/// (`GraphBuilder+TextLayers.swift`).
extension GraphBuilder {
    /// How one text or captions clip draws its text.
    package struct TextStyle {
        package var font: Timeline.Font
        package var fontFile: String
        package var align: Timeline.TextAlign
        package var box: Timeline.Box?
        package var outline: Timeline.Outline?
        /// Pixels kept clear of the canvas edges the text is anchored to (captions' safe margin).
        package var insetX = 0
        package var insetY = 0
        /// Captions: lines of the cues still showing, which this cue stacks beyond (away from the
        /// edge it is anchored to), each a line pitch plus its box's padding above and below.
        package var stackedLines = 0
    }

    /// A text clip's font size and the lengths that grow with it (box padding, outline, line
    /// pitch): fixed pixels, or expressions of clip time `u` when `scale` is keyframed —
    /// drawtext evaluates `fontsize` and x/y every frame, and its x/y use text_w/text_h, so the
    /// text stays at its anchor while it grows. Lengths are canvas pixels; `unit` (output pixels
    /// per canvas pixel) makes them the output's, so a preset or preview looks the same.
    package struct TextSize {
        package let base: Double
        package let scale: Double
        package let curve: KeyframeCurve?
        package let u: String
        package let unit: Double

        package init(_ font: Timeline.Font, clip: Timeline.Clip, u: String, unit: Double) {
            base = font.size * unit
            scale = clip.scale
            curve = clip.curve(.scale)
            self.u = u
            self.unit = unit
        }

        /// The font size in pixels at the fixed scale.
        package var pixels: Int { Self.pixels(base * scale) }

        /// drawtext's `fontsize` (a number, or an expression to quote).
        package var fontSize: String {
            curve.map { "max(1,round(\(decimal(base))*(\($0.expression(u: u)))))" } ?? "\(pixels)"
        }

        /// `em` font sizes in whole pixels: fixed, or an expression when keyframed.
        package func ems(_ em: Double) -> (pixels: Int, expression: String?) {
            (Int(saturating: (Double(pixels) * em).rounded()), curve == nil ? nil : "round(\(decimal(em))*\(fontSize))")
        }

        /// `length` canvas pixels at scale 1, in whole pixels at the fixed scale, or at clip time `at`.
        package func scaled(_ length: Double, at time: Double? = nil) -> Int {
            let factor = time.flatMap { curve?.value(at: $0) } ?? scale
            return Int(saturating: (length * unit * factor).rounded())
        }

        /// The font size in pixels at the largest scale the clip reaches.
        package var largestPixels: Int { Self.pixels(base * (curve?.keys.map(\.value).max() ?? scale)) }

        private static func pixels(_ size: Double) -> Int { max(1, Int(saturating: size.rounded())) }
    }

    /// One drawtext's text and place: a whole block, or one line of a centred/right-aligned one.
    package struct TextLine {
        package var text: String
        /// drawtext expressions.
        package var x: String
        package var y: String
    }

    /// The options every drawtext of a clip shares, around its text (`head`, then text, `look`,
    /// x, y, then `tail`), and its lines.
    package struct TextLayout {
        package var head: [String]
        package var look: [String]
        package var tail: [String]
        package var lines: [TextLine]

        package func options(_ line: TextLine, enable: String?) -> [String] {
            head + ["text=" + FilterEscaping.optionValue(line.text)] + look + ["x='\(line.x)'", "y='\(line.y)'"] + tail + (enable.map { ["enable='\($0)'"] } ?? [])
        }
    }

    package mutating func addText(_ segment: Segment, text: Timeline.TextAsset) {
        let enable = enableExpression(from: segment.start, to: segment.end)
        drawText(textFilters(segment, text: text, enable: enable), layer: Self.layerLook(text), segment: segment)
    }

    /// The drawtexts of a text clip (a line each when centred or right-aligned), after a `sendcmd`
    /// when a keyframed scale changes its box padding or outline width.
    package func textFilters(_ segment: Segment, text: Timeline.TextAsset, enable: String?, layered: Bool = false) -> [String] {
        guard let fontFile = segment.fontFile else { return [] }
        let style = TextStyle(font: text.font, fontFile: fontFile, align: text.align, box: text.box, outline: text.outline)
        guard let layout = layout(text.text, style: style, segment: segment, layered: layered) else { return [] }
        let names = layout.lines.indices.map { "drawtext@\(segment.key)_\($0)" }
        let commands = borderCommands(style, segment: segment, names: names, layered: layered)
        guard !commands.isEmpty else {
            return layout.lines.map { "drawtext=" + layout.options($0, enable: enable).joined(separator: ":") }
        }
        let filters = zip(names, layout.lines).map { name, line in name + "=" + layout.options(line, enable: enable).joined(separator: ":") }
        return [Self.sendcmd(commands)] + filters
    }

    /// Cue times are the file's: the clip shows the file from `trim` on at `speed`, cut at the clip's
    /// end. Only cues inside the rendered window are drawn. A graph with a drawtext per cue line is
    /// slow (libavfilter scans every filter for each step) and costs ~400 KB a filter, so the lines
    /// share a few drawtexts ("slots": as many as lines show at once); `sendcmd` gives a slot its
    /// next line (`reinit` of text, x, y) and time (`enable`) when the previous one has ended.
    package mutating func addCaptions(_ segment: Segment, captions asset: Timeline.CaptionsAsset) {
        drawText(captionsFilters(segment, captions: asset), layer: Self.layerLook(asset), segment: segment)
    }

    /// The `sendcmd` and drawtexts of a captions clip. `layered` (inside a transition): on the
    /// clip's own stream, whose frames (and times) count from its transition head, and cues show
    /// through the borrowed head and tail too, as a video shows its source there.
    package func captionsFilters(_ segment: Segment, captions asset: Timeline.CaptionsAsset, layered: Bool = false) -> [String] {
        guard let fontFile = segment.fontFile, let captions = segment.captions else { return [] }
        let clip = segment.clip
        let anchor = Placement.anchor(clip.position)
        // Lines line up on the side the captions sit on, so multi-line cues need no measured width.
        let align: Timeline.TextAlign = anchor.x == 0 ? .left : anchor.x == 1 ? .right : .center
        // Without a box, an outline keeps white text readable on any picture (it grows with `scale`).
        let outline = asset.box == nil ? Timeline.Outline(color: "#000000", width: max(2, (asset.font.size / 16).rounded())) : nil
        let style = TextStyle(
            font: asset.font, fontFile: fontFile, align: align, box: asset.box, outline: outline,
            insetX: Int(saturating: (Double(width) * Self.captionsMargin).rounded()), insetY: Int(saturating: (Double(height) * Self.captionsMargin).rounded()))
        let (spanStart, spanEnd) = layered ? (segment.streamStart, segment.streamStart + segment.frames) : (segment.start, segment.end)
        let first = max(spanStart, firstFrame), last = min(spanEnd, totalFrames)
        // Stream frame of a timeline frame: the canvas counts timeline frames.
        let origin = layered ? segment.streamStart : 0
        var layoutOptions: TextLayout?
        var slots: [[(from: Int, to: Int, line: TextLine)]] = []
        // Cues still showing when a cue starts (also before the window): it stacks beyond their
        // lines, away from the edge the captions are anchored to, instead of over them.
        var showing: [(to: Int, reach: Int)] = []
        for cue in captions.cues {
            let from = max(spanStart, clock.frame(at: clip.start + (cue.start - clip.trim) / clip.speed))
            // Cues are in order of start: the rest begin after the window.
            if from >= last { break }
            let to = min(spanEnd, clock.frame(at: clip.start + (cue.end - clip.trim) / clip.speed))
            guard to > from else { continue }
            showing.removeAll { $0.to <= from }
            let stacked = showing.map(\.reach).max() ?? 0
            showing.append((to, stacked + Self.lines(cue.text).count))
            var cueStyle = style
            cueStyle.stackedLines = stacked
            guard to > first, let layout = layout(cue.text, style: cueStyle, segment: segment, layered: layered) else { continue }
            layoutOptions = layout
            for line in layout.lines {
                if let free = slots.firstIndex(where: { ($0.last?.to ?? 0) <= from }) {
                    slots[free].append((from, to, line))
                } else {
                    slots.append([(from, to, line)])
                }
            }
        }
        guard let layout = layoutOptions else { return [] }
        var filters: [String] = []
        var commands: [String] = []
        for (index, slot) in slots.enumerated() {
            guard let head = slot.first else { continue }
            let name = "drawtext@\(segment.key)_\(index)"
            filters.append(name + "=" + layout.options(head.line, enable: enableExpression(from: head.from - origin, to: head.to - origin)).joined(separator: ":"))
            for next in slot.dropFirst() {
                let line = next.line
                // Parsed by reinit's option parser, then as one token of sendcmd's command.
                let options = ["text=" + FilterEscaping.optionLevel(line.text), "x=" + FilterEscaping.optionLevel(line.x), "y=" + FilterEscaping.optionLevel(line.y)]
                let reinit = FilterEscaping.commandLevel(options.joined(separator: ":"))
                let enable = FilterEscaping.commandLevel(enableExpression(from: next.from - origin, to: next.to - origin))
                commands.append("\(commandTime(frame: next.from - origin)) \(name) reinit \(reinit), \(name) enable \(enable)")
            }
        }
        commands += borderCommands(style, segment: segment, names: slots.indices.map { "drawtext@\(segment.key)_\($0)" }, layered: layered)
        if !commands.isEmpty {
            filters.insert(Self.sendcmd(commands), at: 0)
        }
        return filters
    }

    /// Captions keep this fraction of the canvas clear at the edges they are anchored to.
    package static let captionsMargin = 0.05

    private static func sendcmd(_ commands: [String]) -> String {
        "sendcmd=commands=" + FilterEscaping.optionValue(commands.joined(separator: ";"))
    }

    /// Time of a `sendcmd` command for frame `frame` of the stream it runs on: half a frame early,
    /// like `enable`, so that frame already sees it.
    private func commandTime(frame: Int) -> String {
        decimal(max(0, clock.seconds(frame: frame) - clock.seconds(frame: 1) / 2))
    }

    /// With a keyframed scale, box padding and outline width (whole pixels, not expressions in
    /// drawtext) change through `reinit` on each frame where one of them changes. Canvas drawtexts
    /// count timeline frames, a transition's layer its stream's.
    private func borderCommands(_ style: TextStyle, segment: Segment, names: [String], layered: Bool = false) -> [String] {
        // Only the numbers at each frame are needed here, never the expressions (hence no `u`).
        let size = TextSize(style.font, clip: segment.clip, u: "", unit: unit)
        guard size.curve != nil, !names.isEmpty else { return [] }
        let padding = style.box.map(\.padding)
        let outline = style.outline.flatMap { $0.width > 0 ? $0.width : nil }
        guard padding != nil || outline != nil else { return [] }
        // Frame `k` of the clip (negative inside its transition head) is stream frame `origin + k`.
        let origin = layered ? segment.head : segment.start
        func borders(_ k: Int) -> [String] {
            let u = clock.seconds(frame: k)
            return [padding.map { "boxborderw=\(size.scaled($0, at: u))" }, outline.map { "borderw=\(size.scaled($0, at: u))" }].compactMap { $0 }
        }
        var commands: [String] = []
        var current = borders(-segment.head)
        for k in (1 - segment.head)..<(segment.nominal + segment.tail) {
            let next = borders(k)
            guard next != current else { continue }
            current = next
            let reinit = FilterEscaping.commandLevel(next.joined(separator: ":"))
            commands.append(commandTime(frame: origin + k) + " " + names.map { "\($0) reinit \(reinit)" }.joined(separator: ", "))
        }
        return commands
    }

    /// drawtext's timeline expression for frames `from..<to`: by timestamp (the canvas counts
    /// timeline frames), not by `n`, which restarts in a range; half a frame either side.
    private func enableExpression(from: Int, to: Int) -> String {
        let half = clock.seconds(frame: 1) / 2
        return "between(t,\(decimal(clock.seconds(frame: from) - half)),\(decimal(clock.seconds(frame: to) - half)))"
    }

    /// The drawtexts of a text clip on its own stream (a transition's layer): t is stream time (0 at
    /// the transition head), always shown; the layer gets the opacity and fades as alpha.
    package func layeredText(_ segment: Segment, text: Timeline.TextAsset) -> [String] {
        textFilters(segment, text: text, enable: nil, layered: true)
    }

    /// How `text` is drawn in `style`; placement, opacity, keyframes and fades follow the clip's
    /// whole span (`segment`). Nil when its colour is not one. `layered`: see `layeredText`.
    private func layout(_ text: String, style: TextStyle, segment: Segment, layered: Bool = false) -> TextLayout? {
        let clip = segment.clip
        let font = style.font
        guard let color = RGBAColor(font.color) else { return nil }
        let anchor = Placement.anchor(clip.position)
        let start = clock.seconds(frame: segment.start)
        let end = clock.seconds(frame: segment.end)
        // drawtext's t is timeline time on the canvas, stream time on a layer; keys are clip time.
        let u = "(t-\(decimal(layered ? clock.seconds(frame: segment.head) : start)))"
        let size = TextSize(font, clip: clip, u: u, unit: unit)
        let boxPadding = style.box.map(\.padding) ?? 0
        // Captions stack beyond the lines still showing: a line pitch and two paddings each.
        let stackPitch = size.ems(Self.linePitchEm)
        let stacked = style.stackedLines * (stackPitch.pixels + 2 * size.scaled(boxPadding))
        let stackedTerm = stackPitch.expression.flatMap { pitch -> String? in
            guard style.stackedLines > 0 else { return nil }
            let padding = boxPadding == 0 ? "" : size.curve.map { "+2*round(\(decimal(boxPadding * unit))*(\($0.expression(u: u))))" } ?? ""
            return "\(style.stackedLines)*(\(pitch)\(padding))"
        }
        let insetX = anchor.x == 0 ? style.insetX : anchor.x == 1 ? -style.insetX : 0
        let awayY = stackedTerm == nil ? style.insetY + stacked : style.insetY
        let insetY = anchor.y == 0 ? awayY : anchor.y == 1 ? -awayY : 0
        let dx = offsetTerm(clip.curve(.offsetX), fixed: clip.offset.x, size: width, inset: insetX, u: u, variable: "w")
        var dy = offsetTerm(clip.curve(.offsetY), fixed: clip.offset.y, size: height, inset: insetY, u: u, variable: "h")
        if let stackedTerm, anchor.y != 0.5 { dy += (anchor.y == 0 ? "+" : "-") + stackedTerm }
        // Colours for the picture drawtext draws on: RGBA when they cannot be drawn exactly on YUV.
        let rgb = !Self.drawsOnCanvas(Self.textColours(font: font, box: style.box, outline: style.outline))
        let head = [
            "fontfile=" + FilterEscaping.optionValue(style.fontFile),
            "expansion=none",
        ]
        let look = [
            size.curve == nil ? "fontsize=\(size.fontSize)" : "fontsize='\(size.fontSize)'",
            "fontcolor=\(Self.drawTextColour(color, rgb: rgb))",
        ]
        // A keyframed scale starts from its first frame's borders; `borderCommands` changes them.
        let firstTime = size.curve == nil ? nil : clock.seconds(frame: -segment.head)
        var tail: [String] = []
        if let box = style.box, let boxColor = RGBAColor(box.color) {
            tail += ["box=1", "boxcolor=\(Self.drawTextColour(boxColor, rgb: rgb))", "boxborderw=\(size.scaled(box.padding, at: firstTime))"]
        }
        if let outline = style.outline, let outlineColor = RGBAColor(outline.color), outline.width > 0 {
            tail += ["borderw=\(size.scaled(outline.width, at: firstTime))", "bordercolor=\(Self.drawTextColour(outlineColor, rgb: rgb))"]
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
        // without tall letters line up. x puts the line inside the block (as wide as its widest
        // line) and the block at its anchor; where the alignment matches the anchor the block's
        // width cancels out.
        let share = style.align == .center ? 0.5 : 1
        let x: String
        if anchor.x == share {
            x = "(w-text_w)*\(decimal(share))\(dx)"
        } else {
            let block = blockWidth(lines, style: style, size: size)
            x = (anchor.x == 0 ? "" : "(w-\(block))*\(decimal(anchor.x))+") + "(\(block)-text_w)*\(decimal(share))\(dx)"
        }
        let pitch = size.ems(Self.linePitchEm)
        let ascent = size.ems(Self.lineAscentEm)
        let placed = lines.enumerated().filter { !$0.element.isEmpty }.map { index, line in
            let y: String
            if let pitchTerm = pitch.expression, let ascentTerm = ascent.expression {
                let top = index == 0 ? "" : "+\(index)*\(pitchTerm)"
                y = "(h-\(lines.count)*\(pitchTerm))*\(decimal(anchor.y))\(top)+\(ascentTerm)-ascent\(dy)"
            } else {
                y = "(h-\(pitch.pixels * lines.count))*\(decimal(anchor.y))+\(index * pitch.pixels + ascent.pixels)-ascent\(dy)"
            }
            return TextLine(text: line, x: x, y: y)
        }
        return TextLayout(head: head, look: look, tail: tail, lines: placed)
    }

    /// The width of a block of `lines` (its widest line's, as drawtext measures it): pixels, or
    /// with a keyframed scale the width at the largest size in proportion to the font size.
    private func blockWidth(_ lines: [String], style: TextStyle, size: TextSize) -> String {
        let pixels = size.curve == nil ? size.pixels : size.largestPixels
        let widest = Self.widestLine(lines, fontFile: style.fontFile, size: pixels)
        return size.curve == nil ? "\(widest)" : "\(widest)*\(size.fontSize)/\(pixels)"
    }

    /// The width in pixels of the widest of `lines` at `size` pixels, as drawtext measures it.
    /// A font FreeType cannot read (fontconfig accepted it, so hardly ever) counts 0.6 em a letter.
    package static func widestLine(_ lines: [String], fontFile: String, size: Int) -> Int {
        lines.map { line in
            TextMetrics.width(of: line, fontFile: fontFile, size: size) ?? Int(saturating: (Double(line.count * size) * 0.6).rounded())
        }.max() ?? 0
    }

    /// Draws with `filters` (`drawtext=…`, `sendcmd=…`) onto the canvas, as the next canvas; or, when
    /// the colours cannot be drawn exactly on YUV, onto an RGBA layer over the clip's frames in the
    /// window (timeline timestamps, like the canvas's), overlaid.
    private mutating func drawText(_ filters: [String], layer look: TextLayerLook, segment: Segment) {
        guard !filters.isEmpty else { return }
        guard look.onCanvas else {
            let from = max(segment.start, firstFrame), to = min(segment.end, totalFrames)
            let shift = from > 0 ? ["setpts=PTS+\(from)"] : []
            guard to > from, let chain = drawingLayer(look, trim: "trim=end_frame=\(to - from)", drawing: shift + filters) else { return }
            chains.append(chain + "[\(segment.key)_text]")
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
        let pixels = Int(saturating: (fixed * Double(size)).rounded()) + inset
        return pixels == 0 ? "" : pixels > 0 ? "+\(pixels)" : "\(pixels)"
    }

    /// The text's lines (`\n`, `\r\n`).
    package static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Baseline-to-baseline distance of text lines in em: 1.2, like CSS's `normal` for most fonts.
    package static let linePitchEm = 1.2

    /// Top of a line to its baseline in em: DejaVu's ascent (0.928) plus half the extra leading.
    package static let lineAscentEm = 0.928 + (1.2 - 1.164) / 2
}
