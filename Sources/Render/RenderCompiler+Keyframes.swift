/// Keyframed clip properties (`animate`) as piecewise functions of clip time.
///
/// Between two keys the value moves from the earlier key's value to the later key's with the
/// LATER key's easing; before the first key and after the last it holds the nearest key.
/// Easings are quadratic: `easeIn` p², `easeOut` 1−(1−p)², `easeInOut` 2p² then 1−2(1−p)².
struct KeyframeCurve: Hashable {
    let keys: [Timeline.Keyframe]

    /// Nil when `keys` is empty (validation reports that).
    init?(_ keys: [Timeline.Keyframe]) {
        guard !keys.isEmpty else { return nil }
        self.keys = keys
    }

    /// The property's value `u` seconds after the clip start.
    func value(at u: Double) -> Double {
        guard let first = keys.first, let last = keys.last else { return 0 }
        if u < first.t { return first.value }
        for (a, b) in zip(keys, keys.dropFirst()) where u < b.t {
            let p = (u - a.t) / (b.t - a.t)
            return a.value + (b.value - a.value) * Self.ease(b.easing, min(1, max(0, p)))
        }
        return last.value
    }

    static func ease(_ easing: Timeline.Easing, _ p: Double) -> Double {
        switch easing {
        case .linear: return p
        case .easeIn: return p * p
        case .easeOut: return 1 - (1 - p) * (1 - p)
        case .easeInOut: return p < 0.5 ? 2 * p * p : 1 - 2 * (1 - p) * (1 - p)
        }
    }

    /// A libavutil expression of the same function. `u` is an expression of clip time in seconds,
    /// e.g. `(t-1.5)`, repeated where needed: no `st()`/`;`, so the graph's chains stay split by `;`.
    func expression(u: String, scale: Double = 1) -> String {
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
    func curve(_ property: Timeline.AnimatedProperty) -> KeyframeCurve? {
        animate.first { $0.property == property }.flatMap { KeyframeCurve($0.keys) }
    }
}
