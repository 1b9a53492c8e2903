import TimelineModel
/// Keyframed clip properties (`animate`) as piecewise functions of clip time.
///
/// Between two keys the value moves from the earlier key's value to the later key's with the
/// LATER key's easing; before the first key and after the last it holds the nearest key.
/// Easings are quadratic: `easeIn` p², `easeOut` 1−(1−p)², `easeInOut` 2p² then 1−2(1−p)².
package struct KeyframeCurve: Hashable {
    package let keys: [Timeline.Keyframe]

    /// Nil when `keys` is empty (validation reports that).
    package init?(_ keys: [Timeline.Keyframe]) {
        guard !keys.isEmpty else { return nil }
        self.keys = keys
    }

    /// The property's value `u` seconds after the clip start.
    package func value(at u: Double) -> Double {
        guard let first = keys.first, let last = keys.last else { return 0 }
        if u < first.t { return first.value }
        for (a, b) in zip(keys, keys.dropFirst()) where u < b.t {
            let p = (u - a.t) / (b.t - a.t)
            return a.value + (b.value - a.value) * Self.ease(b.easing, min(1, max(0, p)))
        }
        return last.value
    }

    package static func ease(_ easing: Timeline.Easing, _ p: Double) -> Double {
        switch easing {
        case .linear: return p
        case .easeIn: return p * p
        case .easeOut: return 1 - (1 - p) * (1 - p)
        case .easeInOut: return p < 0.5 ? 2 * p * p : 1 - 2 * (1 - p) * (1 - p)
        }
    }

    /// A libavutil expression of the same function. `u` is an expression of clip time in seconds,
    /// e.g. `(t-1.5)`, repeated where needed: no `st()`/`;`, so the graph's chains stay split by `;`.
    package func expression(u: String, scale: Double = 1) -> String {
        func v(_ value: Double) -> String { decimal(value * scale) }
        guard let first = keys.first, let last = keys.last else { return "0" }
        if keys.count == 1 { return v(first.value) }
        // Each segment eases p = (u−a)/(b−a) into the later key's value.
        var expression = v(last.value)
        for (a, b) in zip(keys, keys.dropFirst()).reversed() {
            let p = "(\(u)-\(decimal(a.t)))/\(decimal(b.t - a.t))"
            let eased: String
            switch b.easing {
            case .linear: eased = p
            case .easeIn: eased = "pow(\(p),2)"
            case .easeOut: eased = "(1-pow(1-\(p),2))"
            case .easeInOut: eased = "if(lt(\(p),0.5),2*pow(\(p),2),1-2*pow(1-\(p),2))"
            }
            let segment = b.value == a.value ? v(a.value) : "\(v(a.value))+\(decimal((b.value - a.value) * scale))*\(eased)"
            expression = "if(lt(\(u),\(decimal(b.t))),\(segment),\(expression))"
        }
        return "if(lt(\(u),\(decimal(first.t))),\(v(first.value)),\(expression))"
    }
}

extension Timeline.Clip {
    /// The keyframes of `property`, if the clip animates it.
    package func curve(_ property: Timeline.AnimatedProperty) -> KeyframeCurve? {
        animate.first { $0.property == property }.flatMap { KeyframeCurve($0.keys) }
    }
}

/// Keyframed pictures: opacity per frame, size and place per frame.
extension GraphBuilder {
    /// False when the clip is fully transparent all the time (opacity 0 and not keyframed).
    package static func mayShow(_ clip: Timeline.Clip) -> Bool {
        clip.opacity > 0 || clip.curve(.opacity) != nil
    }

    /// True when keyframes move or resize the clip's picture, so its place is computed per frame.
    package static func hasAnimatedGeometry(_ clip: Timeline.Clip) -> Bool {
        clip.curve(.scale) != nil || clip.curve(.offsetX) != nil || clip.curve(.offsetY) != nil
    }

    /// A picture whose size or place is keyframed: scaled per frame (`scale … eval=frame`) after
    /// its alpha is set, never cropped (overlay clips it to the canvas), placed by overlay
    /// expressions of timeline time. `padded` (inside a transition): already overlaid, by
    /// expressions of stream time, onto a transparent canvas-size frame of its own stream.
    package mutating func animatedPicture(
        _ segment: Segment, prefix: String, filters base: [String], sourceWidth: Int, sourceHeight: Int, effected: (width: Int, height: Int),
        padded: Bool = false
    ) -> (chain: String, x: String, y: String) {
        let clip = segment.clip
        let fitted = fittedSize(clip, sourceWidth: effected.width, sourceHeight: effected.height)
        let scaleCurve = clip.curve(.scale)
        let typicalScale = scaleCurve?.keys.first?.value ?? clip.scale
        let pixelScale = fitted.0 * typicalScale / Double(max(1, effected.width))
        var filters = base
        filters += effectFilters(clip.effects, width: sourceWidth, height: sourceHeight, pixelScale: pixelScale, segment: segment)
        filters.append("format=yuva420p")
        filters += alpha(segment)
        // Stream time 0 is the clip's first frame minus its transition head.
        let streamU = "(t-\(decimal(clock.seconds(frame: segment.head))))"
        let scale = scaleCurve?.expression(u: streamU) ?? decimal(clip.scale)
        filters += [
            "scale=w='max(2,trunc(\(decimal(fitted.0))*(\(scale))/2)*2)':h='max(2,trunc(\(decimal(fitted.1))*(\(scale))/2)*2)':eval=frame",
            "setsar=1",
        ]
        // Overlay's t is timeline time on the canvas, stream time on the padded frame.
        let u = "(t-\(decimal(clock.seconds(frame: padded ? segment.head : segment.start))))"
        let anchor = Placement.anchor(clip.position)
        let dx = clip.curve(.offsetX)?.expression(u: u) ?? decimal(clip.offset.x)
        let dy = clip.curve(.offsetY)?.expression(u: u) ?? decimal(clip.offset.y)
        let x = "'floor(((W-w)*\(decimal(anchor.x))+(\(dx))*W)/2)*2'"
        let y = "'floor(((H-h)*\(decimal(anchor.y))+(\(dy))*H)/2)*2'"
        let picture = prefix + filters.joined(separator: ",")
        guard padded else { return (picture, x, y) }
        let frame = "color=c=0x00000000:s=\(width)x\(height):r=\(rate),\(segment.trimFrames),format=yuva420p[\(segment.key)_frame]"
        let placed = "[\(segment.key)_frame][\(segment.key)_moving]overlay=x=\(x):y=\(y):eof_action=pass"
        return ("\(frame);\(picture)[\(segment.key)_moving];\(placed)", "0", "0")
    }

    /// Opacity (fixed, or keyframed through `sendcmd` commands to an alpha `lutyuv`, one per
    /// frame where the value changes) and fades. lutyuv works on yuva420p itself; colorchannelmixer
    /// would convert every frame to RGBA and back (≈ 4× the CPU at 1080p).
    package func alpha(_ segment: Segment) -> [String] {
        opacity(segment) + fades(segment)
    }

    /// The opacity part of `alpha`. The lut keeps Y, U and V exactly (its default would clip them to
    /// the video range).
    package func opacity(_ segment: Segment) -> [String] {
        let clip = segment.clip
        var filters: [String] = []
        if let curve = clip.curve(.opacity) {
            let name = "lutyuv@\(segment.key)_opacity"
            var commands: [String] = []
            let initial = Self.quantizedOpacity(curve.value(at: -clock.seconds(frame: segment.head)))
            var current = initial
            for frame in 1..<max(1, segment.frames) {
                let value = Self.quantizedOpacity(curve.value(at: clock.seconds(frame: frame - segment.head)))
                guard value != current else { continue }
                current = value
                // Floored to the microsecond sendcmd counts in, so the command fires on its own frame.
                let time = (clock.seconds(frame: frame) * 1_000_000).rounded(.down) / 1_000_000
                commands.append("\(decimal(time)) \(name) a val*\(decimal(value))")
            }
            if !commands.isEmpty { filters.append("sendcmd=commands='\(commands.joined(separator: ";"))'") }
            filters.append("\(name)=y=val:u=val:v=val:a=val*\(decimal(initial))")
        } else if clip.opacity < 1 {
            filters.append("lutyuv=y=val:u=val:v=val:a=val*\(decimal(clip.opacity))")
        }
        return filters
    }

    /// Opacity to 1/1000: finer steps are invisible in 8-bit alpha and would only add commands.
    private static func quantizedOpacity(_ value: Double) -> Double {
        (min(1, max(0, value)) * 1000).rounded() / 1000
    }
}
