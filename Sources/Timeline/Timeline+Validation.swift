extension Timeline {
    /// Times closer than this (seconds) are equal: documents carry milliseconds.
    package static let timeTolerance = 0.0005
    /// Longest time any key may hold (24 hours); guards against absurd numbers.
    public static let maxTime = 86_400.0
    /// Bounds of every size factor (`scale` of clips, keys and Ken Burns frames).
    public static let minScale = 0.01
    public static let maxScale = 10.0

    /// Every problem that needs no font lookup and no compiler: ranges and consistency, control
    /// characters in merge values, placeholders without a value (`merge` overrides the document's
    /// `merge`), missing sources, sources of the wrong kind or without the needed stream, clips
    /// running past their source, overlaps and transitions. `validate(merge:resolve:)` (Compiler)
    /// adds fonts and what the engine cannot render yet.
    package func documentIssues(merge: [String: String], resolve: SourceResolver) -> (issues: [ValidationIssue], merged: Timeline) {
        var issues = structuralIssues()
        for (name, value) in merge.sorted(by: { $0.key < $1.key }) {
            if let control = firstControlCharacter(in: value) {
                issues.append(ValidationIssue(path: JSONPointer.root.appending("merge").appending(name).description, message: "contains the control character \(control); only tab and line breaks are allowed"))
            }
        }
        let values = self.merge.merging(merge) { _, request in request }
        for (ti, track) in tracks.enumerated() {
            for (ci, clip) in track.clips.enumerated() {
                let base = "/tracks/\(ti)/clips/\(ci)/asset"
                var fields: [(String, String)] = []
                if case .text(let text) = clip.asset { fields.append(("text", text.text)) }
                if let src = clip.asset.src { fields.append(("src", src)) }
                if let src = clip.asset.font?.src { fields.append(("font/src", src)) }
                for (key, value) in fields {
                    for name in Placeholders.names(in: value) where values[name] == nil {
                        issues.append(ValidationIssue(path: "\(base)/\(key)", message: "placeholder {{\(name)}} has no value in merge"))
                    }
                }
            }
        }
        let merged = applyingMerge(merge)
        let sources = merged.resolveSources(resolve)
        issues += merged.sourceIssues(sources)
        issues += merged.timingIssues(sources)
        return (issues, merged)
    }

    /// Range and consistency checks that need neither sources nor merge values.
    package func structuralIssues() -> [ValidationIssue] {
        var checker = RangeChecker()
        checker.check(self)
        return checker.issues
    }

    /// Sources of every clip with a `src`, keyed by track and clip index; absent when unresolved.
    package func resolveSources(_ resolve: SourceResolver) -> [ClipIndex: ResolvedSource] {
        var sources: [ClipIndex: ResolvedSource] = [:]
        var cache: [String: ResolvedSource?] = [:]
        for (ti, track) in tracks.enumerated() {
            for (ci, clip) in track.clips.enumerated() {
                guard let src = clip.asset.src, !src.isEmpty, Placeholders.names(in: src).isEmpty else { continue }
                let resolved: ResolvedSource?
                if let cached = cache[src] {
                    resolved = cached
                } else {
                    resolved = resolve(src)
                    cache[src] = resolved
                }
                if let resolved { sources[ClipIndex(track: ti, clip: ci)] = resolved }
            }
        }
        return sources
    }

    /// The clip's length on the timeline: explicit, or the rest of its source after trim divided by speed.
    package func effectiveLength(of clip: Clip, source: ResolvedSource?) -> Double? {
        if let length = clip.length { return length }
        switch clip.asset {
        case .video, .audio:
            guard let info = source?.info, !info.isImage else { return nil }
            return (info.duration - clip.trim) / clip.speed
        default:
            return nil
        }
    }

    /// End of the last clip (or `range.end`), with lengths taken from the sources where not explicit.
    public func duration(resolve: SourceResolver) -> Double {
        let merged = applyingMerge([:])
        return merged.computeDuration(merged.resolveSources(resolve))
    }

    package func computeDuration(_ sources: [ClipIndex: ResolvedSource]) -> Double {
        if let range = output.range { return range.end }
        var end = 0.0
        for (ti, track) in tracks.enumerated() {
            for (ci, clip) in track.clips.enumerated() {
                if let length = effectiveLength(of: clip, source: sources[ClipIndex(track: ti, clip: ci)]), length > 0 {
                    end = max(end, clip.start + length)
                }
            }
        }
        return end
    }

    private func sourceIssues(_ sources: [ClipIndex: ResolvedSource]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for (ti, track) in tracks.enumerated() {
            for (ci, clip) in track.clips.enumerated() {
                let path = "/tracks/\(ti)/clips/\(ci)"
                guard let src = clip.asset.src, !src.isEmpty, Placeholders.names(in: src).isEmpty else { continue }
                guard let source = sources[ClipIndex(track: ti, clip: ci)] else {
                    issues.append(ValidationIssue(path: path + "/asset/src", message: "asset '\(src)' not found"))
                    continue
                }
                switch (clip.asset, source.content) {
                case (.captions, .captions):
                    continue
                case (.captions, _):
                    issues.append(ValidationIssue(path: path + "/asset/src", message: "'\(src)' is not a captions file (SRT or WebVTT)"))
                    continue
                case (_, .captions), (_, .font):
                    let what = source.content == .font ? "a font" : "a captions file"
                    issues.append(ValidationIssue(path: path + "/asset/src", message: "'\(src)' is \(what), not media to show in a \(clip.asset.kind.rawValue) clip"))
                    continue
                default:
                    break
                }
                let info = source.info
                switch clip.asset {
                case .video, .image:
                    if !info.hasVideo {
                        issues.append(ValidationIssue(path: path + "/asset/src", message: "'\(src)' has no video stream to show in a \(clip.asset.kind.rawValue) clip"))
                    } else if (info.width ?? 0) <= 0 || (info.height ?? 0) <= 0 {
                        issues.append(ValidationIssue(path: path + "/asset/src", message: "the picture size of '\(src)' is unknown"))
                    }
                case .audio:
                    if !info.hasAudio {
                        issues.append(ValidationIssue(path: path + "/asset/src", message: "'\(src)' has no audio stream to play in an audio clip"))
                    }
                default:
                    break
                }
                switch clip.asset {
                case .video, .audio:
                    if info.isImage {
                        if clip.length == nil {
                            issues.append(ValidationIssue(path: path + "/length", message: "length is required: '\(src)' is a still image"))
                        }
                        continue
                    }
                    let speed = clip.speed
                    if let length = clip.length {
                        let end = clip.trim + length * speed
                        if end > info.duration + Timeline.timeTolerance * 2 {
                            issues.append(ValidationIssue(
                                path: path + "/length",
                                message: "clip '\(clip.id)' needs '\(src)' up to \(formatSeconds(end)) s (trim + length × speed) but the source lasts \(formatSeconds(info.duration)) s"))
                        }
                    } else if clip.trim >= info.duration - Timeline.timeTolerance {
                        issues.append(ValidationIssue(
                            path: path + "/trim",
                            message: "trim \(formatSeconds(clip.trim)) s is at or past the end of '\(src)' (\(formatSeconds(info.duration)) s)"))
                    }
                default:
                    break
                }
            }
        }
        return issues
    }

    private func timingIssues(_ sources: [ClipIndex: ResolvedSource]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for (ti, track) in tracks.enumerated() {
            let spans: [(index: Int, start: Double, end: Double)] = track.clips.enumerated().compactMap { ci, clip in
                guard let length = effectiveLength(of: clip, source: sources[ClipIndex(track: ti, clip: ci)]), length > 0 else { return nil }
                return (ci, clip.start, clip.start + length)
            }.sorted { ($0.start, $0.index) < ($1.start, $1.index) }
            for (order, span) in spans.enumerated() where order > 0 {
                let previous = spans[order - 1]
                if previous.end > span.start + Timeline.timeTolerance {
                    let a = track.clips[previous.index], b = track.clips[span.index]
                    issues.append(ValidationIssue(
                        path: "/tracks/\(ti)/clips/\(span.index)/start",
                        message: "clip '\(b.id)' overlaps clip '\(a.id)' on track '\(track.id)' ('\(a.id)' ends at \(formatSeconds(previous.end)) s, '\(b.id)' starts at \(formatSeconds(span.start)) s)"))
                }
            }
            for (ci, clip) in track.clips.enumerated() {
                guard let transition = clip.transition else { continue }
                let path = "/tracks/\(ti)/clips/\(ci)/transition"
                guard let order = spans.firstIndex(where: { $0.index == ci }) else { continue }
                let span = spans[order]
                guard order > 0, abs(spans[order - 1].end - span.start) <= Timeline.timeTolerance else {
                    issues.append(ValidationIssue(path: path, message: "transition needs a previous clip on track '\(track.id)' that ends where '\(clip.id)' starts"))
                    continue
                }
                let previous = spans[order - 1]
                let shorter = min(previous.end - previous.start, span.end - span.start)
                if transition.duration > shorter + Timeline.timeTolerance {
                    issues.append(ValidationIssue(
                        path: path + "/duration",
                        message: "transition of \(formatSeconds(transition.duration)) s is longer than the shorter of '\(track.clips[previous.index].id)' and '\(clip.id)' (\(formatSeconds(shorter)) s)"))
                }
            }
        }
        if computeDuration(sources) <= Timeline.timeTolerance {
            issues.append(ValidationIssue(path: "/tracks", message: "the timeline is empty: no clip has a length"))
        }
        return issues
    }
}

/// Identifies a clip by its track and clip index.
package struct ClipIndex: Hashable, Sendable {
    package var track: Int
    package var clip: Int

    package init(track: Int, clip: Int) {
        self.track = track
        self.clip = clip
    }
}

/// Seconds for messages, at most millisecond precision.
package func formatSeconds(_ value: Double) -> String {
    formatNumber((value * 1000).rounded() / 1000)
}
