import TimelineModel

extension RenderCompiler {
    /// Every feature this compiler cannot render yet, as issues (never silently dropped).
    package static func unsupportedIssues(_ timeline: Timeline) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func unsupported(_ path: String, _ what: String) {
            issues.append(ValidationIssue(path: path, message: "\(what) is not supported by this engine yet"))
        }
        for (ti, track) in timeline.tracks.enumerated() {
            let order = track.clips.indices.sorted { (track.clips[$0].start, $0) < (track.clips[$1].start, $1) }
            for (ci, clip) in track.clips.enumerated() {
                let path = "/tracks/\(ti)/clips/\(ci)"
                let kind = clip.asset.kind
                for (ei, effect) in clip.effects.enumerated() {
                    if kind == .audio {
                        unsupported("\(path)/effects/\(ei)", "effect '\(effect.kind.rawValue)' on a \(kind.rawValue) clip")
                    } else if case .chromakey(_, let similarity, _) = effect, similarity < 0.01 {
                        unsupported("\(path)/effects/\(ei)/similarity", "chromakey similarity below 0.01")
                    }
                }
                for (ai, animation) in clip.animate.enumerated() {
                    let property = animation.property
                    let what = "animating '\(property.rawValue)' with keyframes"
                    switch (property, kind) {
                    case (.volume, .video), (.volume, .audio):
                        break
                    case (.volume, _):
                        unsupported("\(path)/animate/\(ai)", what + " on a \(kind.rawValue) clip (it has no sound)")
                    case (_, .audio):
                        unsupported("\(path)/animate/\(ai)", what + " on an audio clip (it has no picture)")
                    case (.scale, _), (.offsetX, _), (.offsetY, _), (.opacity, _):
                        break
                    }
                }
                if clip.transition != nil, let position = order.firstIndex(of: ci), position > 0 {
                    let previous = track.clips[order[position - 1]]
                    switch (transitionKind(previous), transitionKind(clip)) {
                    case (.picture, .picture), (.sound, .sound):
                        break
                    default:
                        unsupported(path + "/transition", "a transition between a picture clip and an audio clip")
                    }
                }
            }
        }
        return issues
    }

    private enum TransitionKind { case picture, sound }

    private static func transitionKind(_ clip: Timeline.Clip) -> TransitionKind {
        switch clip.asset {
        // Text and captions inside a transition are drawn onto a layer of their own, like a picture.
        case .video, .image, .color, .text, .captions: return .picture
        case .audio: return .sound
        }
    }
}
