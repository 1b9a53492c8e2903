import TimelineModel

/// Where a picture lands on the canvas: its fitted size and the part of it inside the canvas, in
/// even pixels (4:2:0 chroma). Pure geometry, unit-tested on its own.
package struct Placement: Hashable {
    package var width: Int
    package var height: Int
    /// Visible rectangle, in picture coordinates.
    package var cropX: Int
    package var cropY: Int
    package var cropWidth: Int
    package var cropHeight: Int
    /// Top-left of the visible rectangle on the canvas.
    package var x: Int
    package var y: Int

    package var needsCrop: Bool { cropWidth != width || cropHeight != height }

    /// A `source`-sized picture fitted to a `canvas`-sized one by `fit`, times `scale`, at
    /// `position` shifted by `offset` (fractions of the canvas); nil when less than 2×2 pixels of
    /// it are visible. `unit`: output pixels per canvas pixel, for `fit: none`.
    package init?(
        canvas: (width: Int, height: Int), source: (width: Int, height: Int),
        fit: Timeline.Fit, scale: Double, position: Timeline.Position, offset: Timeline.Offset, unit: Double = 1
    ) {
        let W = Double(canvas.width), H = Double(canvas.height)
        let fitted = Self.fittedSize(canvas: canvas, source: source, fit: fit, unit: unit)
        let pw = Placement.even(fitted.width * scale), ph = Placement.even(fitted.height * scale)
        let anchor = Placement.anchor(position)
        let x = Self.evenFloor((W - Double(pw)) * anchor.x + offset.x * W)
        let y = Self.evenFloor((H - Double(ph)) * anchor.y + offset.y * H)
        let left = max(0, x), top = max(0, y)
        let right = min(canvas.width, x + pw), bottom = min(canvas.height, y + ph)
        guard right - left >= 2, bottom - top >= 2 else { return nil }
        (width, height) = (pw, ph)
        (cropX, cropY, cropWidth, cropHeight) = (left - x, top - y, right - left, bottom - top)
        (self.x, self.y) = (left, top)
    }

    /// The size a `source` picture is fitted to on `canvas`, before `scale`. Unfitted (`none`), a
    /// picture pixel is a canvas pixel: `unit` output pixels.
    package static func fittedSize(
        canvas: (width: Int, height: Int), source: (width: Int, height: Int), fit: Timeline.Fit, unit: Double = 1
    ) -> (width: Double, height: Double) {
        let W = Double(canvas.width), H = Double(canvas.height)
        let w = Double(max(1, source.width)), h = Double(max(1, source.height))
        switch fit {
        case .cover:
            let s = max(W / w, H / h)
            return (w * s, h * s)
        case .contain:
            let s = min(W / w, H / h)
            return (w * s, h * s)
        case .fill:
            return (W, H)
        case .none:
            return (w * unit, h * unit)
        }
    }

    /// Nearest even number, at least 2.
    package static func even(_ value: Double) -> Int {
        max(2, Int(saturating: (value / 2).rounded()) * 2)
    }

    /// Even number at or below `value`.
    package static func evenFloor(_ value: Double) -> Int {
        Int(saturating: (value / 2).rounded(.down)) * 2
    }

    /// Fraction of the free space left of / above the picture for each anchor.
    package static func anchor(_ position: Timeline.Position) -> (x: Double, y: Double) {
        switch position {
        case .center: return (0.5, 0.5)
        case .top: return (0.5, 0)
        case .bottom: return (0.5, 1)
        case .left: return (0, 0.5)
        case .right: return (1, 0.5)
        case .topLeft: return (0, 0)
        case .topRight: return (1, 0)
        case .bottomLeft: return (0, 1)
        case .bottomRight: return (1, 1)
        }
    }
}

extension GraphBuilder {
    package static func hasPicture(_ clip: Timeline.Clip) -> Bool {
        switch clip.asset {
        case .video, .image, .color: return true
        case .audio, .text, .captions: return false
        }
    }

    /// The size a `sourceWidth`×`sourceHeight` picture of `clip` is fitted to, before `scale`.
    package func fittedSize(_ clip: Timeline.Clip, sourceWidth: Int, sourceHeight: Int) -> (Double, Double) {
        let size = Placement.fittedSize(canvas: (width, height), source: (sourceWidth, sourceHeight), fit: clip.fit ?? .cover, unit: pictureUnit(clip))
        return (size.width, size.height)
    }

    /// Text and captions layers are drawn in output pixels already; other pictures' pixels are canvas pixels.
    private func pictureUnit(_ clip: Timeline.Clip) -> Double {
        Self.isText(clip) || Self.isCaptions(clip) ? 1 : unit
    }

    /// Where `clip`'s `sourceWidth`×`sourceHeight` picture lands on the canvas; nil when nothing of it is visible.
    package func place(_ clip: Timeline.Clip, sourceWidth: Int, sourceHeight: Int) -> Placement? {
        Placement(canvas: (width, height), source: (sourceWidth, sourceHeight), fit: clip.fit ?? .cover,
                  scale: clip.scale, position: clip.position, offset: clip.offset, unit: pictureUnit(clip))
    }
}
