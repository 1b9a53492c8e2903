extension Timeline {
    /// The colour a picture clip whose media is missing is shown in (a preview's placeholder).
    public static let missingColour = "#D02828"

    /// The document with every clip whose `src` `exists` says is gone made harmless, so the rest
    /// of the timeline can still be previewed: a video or image clip of known length becomes a red
    /// rectangle where its picture was (same time, place, opacity and transition), an audio or
    /// captions clip (or a video of unknown length) is left out, and a font file that is gone falls
    /// back to the default family. Renders never use this: they refuse a missing source (422).
    /// Returns the document and the missing sources, in document order.
    public func placeholdingMissing(_ exists: (String) -> Bool) -> (timeline: Timeline, missing: [String]) {
        var result = self
        var missing: [String] = []
        func isMissing(_ src: String?) -> Bool {
            guard let src, src.hasPrefix("asset:"), Placeholders.names(in: src).isEmpty, !exists(src) else { return false }
            if !missing.contains(src) { missing.append(src) }
            return true
        }
        for ti in result.tracks.indices {
            var clips: [Clip] = []
            var droppedEnds: [Double] = []
            for var clip in result.tracks[ti].clips {
                if var font = clip.asset.font, isMissing(font.src) {
                    font.src = nil
                    font.family = Font().family
                    clip.asset = clip.asset.with(font: font)
                }
                guard isMissing(clip.asset.src) else {
                    clips.append(clip)
                    continue
                }
                let isPicture: Bool
                switch clip.asset {
                case .video, .image: isPicture = true
                default: isPicture = false
                }
                if isPicture, clip.length != nil {
                    clip.asset = .color(ColorAsset(color: Self.missingColour))
                    clip.trim = 0
                    clip.speed = 1
                    clip.effects = []
                    clip.animate.removeAll { $0.property == .volume }
                    clips.append(clip)
                } else if let length = clip.length {
                    droppedEnds.append(clip.start + length)
                }
            }
            // A transition onto a clip that was left out has no clip before it any more.
            for ci in clips.indices where droppedEnds.contains(where: { abs($0 - clips[ci].start) < 1e-9 }) {
                clips[ci].transition = nil
            }
            result.tracks[ti].clips = clips
        }
        return (result, missing)
    }
}

extension Timeline.Asset {
    /// The same text or captions asset with another font (other assets unchanged).
    func with(font: Timeline.Font) -> Timeline.Asset {
        switch self {
        case .text(var a):
            a.font = font
            return .text(a)
        case .captions(var a):
            a.font = font
            return .captions(a)
        case .video, .audio, .image, .color:
            return self
        }
    }
}
