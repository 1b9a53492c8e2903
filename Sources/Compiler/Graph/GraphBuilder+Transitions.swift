import TimelineModel
/// Transition groups: clips joined by transitions, rendered as one stream (an xfade chain).
extension GraphBuilder {
    /// Marks the frames of each member's stream that lie before the rendered window, so a still or
    /// a range inside (or after the start of) a group seeks every member there instead of decoding
    /// from the group's first frame. Ken Burns counts frames (perspective's `in`), so a group with
    /// one keeps every frame.
    package func skipBeforeWindow(_ group: inout [Segment]) {
        guard !group.contains(where: { Self.countsFrames($0.clip) }) else { return }
        for index in group.indices {
            group[index].skip = max(0, min(group[index].frames - 1, firstFrame - group[index].streamStart))
        }
    }

    /// The members padded to the canvas and chained with `xfade`, then shifted to the group's
    /// first frame and overlaid. Each member's stream keeps its own timestamps from `skip` on.
    /// A text or captions member is drawn onto a transparent layer of its own. When any member may be
    /// transparent somewhere, the members are blended premultiplied (`premultiply` … `unpremultiply`):
    /// xfade mixes colour and alpha independently, which with straight alpha would show the colour
    /// of transparent pixels (a dark or text-coloured haze) halfway through a dissolve.
    package mutating func addTransitionGroup(_ group: [Segment]) {
        guard let first = group.first else { return }
        // Only sound groups (audio clips) have no pictures; validation allows no other mix.
        guard group.allSatisfy({ Self.hasPicture($0.clip) || Self.isText($0.clip) || Self.isCaptions($0.clip) }) else { return }
        let premultiplied = !group.allSatisfy(coversCanvas)
        for segment in group {
            var chain: String?
            if Self.mayShow(segment.clip) {
                // Text with effects is a picture of its own layer (`GraphBuilder+TextLayers.swift`).
                switch segment.clip.asset {
                case .text(let text) where segment.clip.effects.isEmpty:
                    chain = textLayer(segment, filters: layeredText(segment, text: text), look: Self.layerLook(text))
                case .captions(let captions) where segment.clip.effects.isEmpty:
                    chain = textLayer(segment, filters: captionsFilters(segment, captions: captions, layered: true), look: Self.layerLook(captions))
                default:
                    chain = pictureChain(segment, padded: true)?.chain
                }
            }
            let member = chain ?? "color=c=0x00000000:s=\(width)x\(height):r=\(rate),\(segment.trimFrames),format=yuva420p"
            chains.append(member + (premultiplied ? ",premultiply=inplace=1" : "") + "[\(segment.key)_v]")
        }
        var label = "\(first.key)_v"
        for segment in group.dropFirst() {
            let next = "\(segment.key)_x"
            // xfade counts its offset from the chain's first frame, which is `skip` frames into the
            // first member's stream. Negative when the window starts inside this transition: then
            // both sides start at the window and the blend picks up part-way, as in the full render.
            let offset = clock.seconds(frame: segment.streamStart - first.streamStart - first.skip)
            let duration = clock.seconds(frame: segment.inFrames)
            chains.append("[\(label)][\(segment.key)_v]xfade=transition=\((segment.inTransition ?? .fade).rawValue):duration=\(decimal(duration)):offset=\(decimal(offset))[\(next)]")
            label = next
        }
        let shifted = "\(first.key)_g"
        let filters = [premultiplied ? "unpremultiply=inplace=1" : nil, first.streamStart > 0 ? "setpts=PTS+\(first.streamStart)" : nil].compactMap { $0 }
        chains.append("[\(label)]" + (filters.isEmpty ? "null" : filters.joined(separator: ",")) + "[\(shifted)]")
        overlay(shifted, x: "0", y: "0")
    }

    /// Ken Burns moves with the frame number (perspective's `in`): its pictures differ on every frame.
    package static func countsFrames(_ clip: Timeline.Clip) -> Bool {
        clip.effects.contains { $0.kind == .kenburns }
    }

    package static func isText(_ clip: Timeline.Clip) -> Bool {
        if case .text = clip.asset { true } else { false }
    }

    package static func isCaptions(_ clip: Timeline.Clip) -> Bool {
        if case .captions = clip.asset { true } else { false }
    }

    /// Text or captions drawn by `filters` onto a transparent canvas-size frame for the clip's own
    /// stream (`drawingLayer`), with its opacity and fades as alpha.
    private func textLayer(_ segment: Segment, filters: [String], look: TextLayerLook) -> String? {
        guard !filters.isEmpty, let layer = drawingLayer(look, trim: segment.trimFrames, drawing: filters) else { return nil }
        return ([layer] + alpha(segment)).joined(separator: ",")
    }
}
