import TimelineModel
import Foundation

/// Picture effects, compiled in order onto the clip's picture at source resolution (before it is
/// fitted), so `crop` and `rotate` change the size that is fitted to the canvas.
extension GraphBuilder {
    /// Size of a `width`×`height` picture after `effects`.
    package static func effectedSize(_ effects: [Timeline.Effect], width: Int, height: Int) -> (width: Int, height: Int) {
        var size = (width: width, height: height)
        for effect in effects {
            size = effectedSize(effect, size)
        }
        return size
    }

    private static func effectedSize(_ effect: Timeline.Effect, _ size: (width: Int, height: Int)) -> (width: Int, height: Int) {
        switch effect {
        case .crop(let x, let y, let w, let h):
            return cropRect(x: x, y: y, width: w, height: h, size).size
        case .rotate(let degrees):
            switch quarterTurns(degrees) {
            case 1, 3: return (size.height, size.width)
            case 0, 2: return size
            default:
                let a = degrees * .pi / 180
                let w = Double(size.width), h = Double(size.height)
                return (Placement.even(abs(w * cos(a)) + abs(h * sin(a))), Placement.even(abs(w * sin(a)) + abs(h * cos(a))))
            }
        default:
            return size
        }
    }

    /// 0...3 for multiples of 90°, nil otherwise.
    package static func quarterTurns(_ degrees: Double) -> Int? {
        let turned = ((degrees.truncatingRemainder(dividingBy: 360)) + 360).truncatingRemainder(dividingBy: 360)
        let quarters = (turned / 90).rounded()
        guard abs(turned - quarters * 90) < 1e-9 else { return nil }
        return Int(saturating: quarters) % 4
    }

    /// A crop of fractions, on even pixels (4:2:0 chroma), at least 2×2.
    private static func cropRect(x: Double, y: Double, width: Double, height: Double, _ size: (width: Int, height: Int))
        -> (x: Int, y: Int, size: (width: Int, height: Int))
    {
        let W = Double(size.width), H = Double(size.height)
        let left = min(Placement.evenFloor(x * W), max(0, size.width - 2))
        let top = min(Placement.evenFloor(y * H), max(0, size.height - 2))
        let w = min(Placement.even(width * W), size.width - left)
        let h = min(Placement.even(height * H), size.height - top)
        return (left, top, (max(2, w), max(2, h)))
    }

    /// The filters of `effects` on a `width`×`height` picture. `pixelScale` is output pixels per
    /// picture pixel (blur amounts are canvas pixels, `unit` output pixels each); `segment` times the Ken Burns move.
    ///
    /// A text or captions clip's picture is a layer of its own that is mostly transparent, so its
    /// alpha is kept: filters that mix neighbouring pixels (blur, Ken Burns, a free rotation) run
    /// premultiplied, or the colour under transparent pixels would bleed into the edges, and
    /// chromakey (which overwrites alpha) is multiplied into the layer's alpha (`blend`).
    package func effectFilters(_ effects: [Timeline.Effect], width: Int, height: Int, pixelScale: Double, segment: Segment) -> [String] {
        let layer = Self.isText(segment.clip) || Self.isCaptions(segment.clip)
        var size = (width: width, height: height)
        var filters: [String] = []
        for (index, effect) in effects.enumerated() {
            let start = filters.count
            switch effect {
            case .blur(let amount):
                // amount is the Gaussian sigma in canvas pixels, whatever the source resolution.
                if amount > 0 { filters.append("gblur=sigma=\(decimal(amount * unit / max(pixelScale, 1e-6)))") }
            case .grayscale:
                filters.append("hue=s=0")
            case .sepia:
                // The classic sepia matrix (Microsoft's), rows r, g, b.
                filters.append("colorchannelmixer=rr=0.393:rg=0.769:rb=0.189:gr=0.349:gg=0.686:gb=0.168:br=0.272:bg=0.534:bb=0.131")
            case .color(let brightness, let contrast, let saturation):
                filters.append("eq=brightness=\(decimal(brightness)):contrast=\(decimal(contrast)):saturation=\(decimal(saturation))")
            case .kenburns(let from, let to):
                filters.append(kenBurns(from: from, to: to, size, segment: segment))
            case .crop(let x, let y, let w, let h):
                let rect = Self.cropRect(x: x, y: y, width: w, height: h, size)
                filters.append("crop=w=\(rect.size.width):h=\(rect.size.height):x=\(rect.x):y=\(rect.y)")
            case .flip(let horizontal, let vertical):
                if horizontal { filters.append("hflip") }
                if vertical { filters.append("vflip") }
            case .rotate(let degrees):
                if let quarters = Self.quarterTurns(degrees) {
                    filters += quarterTurnFilters(quarters)
                } else {
                    // The whole picture turned inside its bounding box; the corners are transparent.
                    let turned = Self.effectedSize(effect, size)
                    filters += ["format=yuva420p", "rotate=a=\(decimal(degrees * .pi / 180)):ow=\(turned.width):oh=\(turned.height):c=none"]
                }
            case .chromakey(let color, let similarity, let blend):
                // chromakey turns an RGB key into YUV with bt601; the picture is bt709, so the key is given in it.
                let key = (RGBAColor(color) ?? RGBAColor(red: 0, green: 255, blue: 0, alpha: 255)).bt709Limited
                let chromakey = "chromakey=color=\(key):similarity=\(decimal(similarity)):blend=\(decimal(blend)):yuv=1"
                if layer {
                    let name = "\(segment.key)_key\(index)"
                    filters += ["format=yuva420p", "split[\(name)_in][\(name)_alpha];[\(name)_in]\(chromakey)[\(name)_out];[\(name)_out][\(name)_alpha]blend=c3_mode=multiply"]
                } else {
                    filters += ["format=yuva420p", chromakey]
                }
            }
            if layer && Self.mixesPixels(effect) && filters.count > start {
                filters.insert("premultiply=inplace=1", at: start)
                filters.append("unpremultiply=inplace=1")
            }
            size = Self.effectedSize(effect, size)
        }
        return filters
    }

    /// True for effects whose output pixels mix several input pixels (not a crop, flip, quarter
    /// turn or per-pixel colour change).
    private static func mixesPixels(_ effect: Timeline.Effect) -> Bool {
        switch effect {
        case .blur, .kenburns: return true
        case .rotate(let degrees): return quarterTurns(degrees) == nil
        case .grayscale, .sepia, .color, .crop, .flip, .chromakey: return false
        }
    }

    /// A Ken Burns move with `perspective` (sub-pixel, so the motion is smooth; the size is kept).
    ///
    /// At each end the view is the picture zoomed by `scale` about its centre, the centre moved by
    /// `x`, `y` (fractions of the picture; +x looks further right, +y further down), and kept
    /// inside the picture when zoomed in. The view's corners move linearly from the clip's first
    /// frame to its last; transition handles hold the end views.
    private func kenBurns(from: Timeline.KenBurnsFrame, to: Timeline.KenBurnsFrame, _ size: (width: Int, height: Int), segment: Segment) -> String {
        let W = Double(size.width), H = Double(size.height)
        func view(_ frame: Timeline.KenBurnsFrame) -> (left: Double, top: Double, right: Double, bottom: Double) {
            let w = W / frame.scale, h = H / frame.scale
            var cx = W / 2 + frame.x * W, cy = H / 2 + frame.y * H
            if w <= W { cx = min(max(cx, w / 2), W - w / 2) }
            if h <= H { cy = min(max(cy, h / 2), H - h / 2) }
            return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        }
        let a = view(from), b = view(to)
        let span = max(1, segment.nominal - 1)
        // Progress from the clip's first frame to its last; perspective counts input frames from 1.
        let p = "clip((in-\(segment.head + 1))/\(span),0,1)"
        func lerp(_ x: Double, _ y: Double) -> String {
            x == y ? decimal(x) : "'\(decimal(x))+\(decimal(y - x))*\(p)'"
        }
        let left = lerp(a.left, b.left), right = lerp(a.right, b.right)
        let top = lerp(a.top, b.top), bottom = lerp(a.bottom, b.bottom)
        return "perspective=x0=\(left):y0=\(top):x1=\(right):y1=\(top):x2=\(left):y2=\(bottom):x3=\(right):y3=\(bottom):interpolation=linear:eval=frame"
    }
}
