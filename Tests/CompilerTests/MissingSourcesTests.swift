import Foundation
import Testing
@testable import TimelineModel

/// `placeholdingMissing`: what a preview shows of clips whose asset is gone.
@Suite("Missing sources")
struct MissingSourcesTests {
    private typealias T = Timeline

    @Test("pictures become red rectangles in place, sound and captions are left out, transitions onto left-out clips go, fonts fall back")
    func placeholders() {
        var moving = T.Clip(id: "v", asset: .video(T.VideoAsset(src: "asset:gone")), start: 0, length: 2, trim: 3)
        moving.effects = [.grayscale]
        moving.position = .topLeft
        moving.scale = 0.5
        var after = T.Clip(id: "after", asset: .image(T.ImageAsset(src: "asset:here")), start: 2, length: 1)
        after.transition = T.Transition(type: .fade, duration: 0.5)
        var afterSound = T.Clip(id: "tail", asset: .audio(T.AudioAsset(src: "asset:here")), start: 3, length: 1)
        afterSound.transition = T.Transition(type: .fade, duration: 0.5)
        let title = T.Clip(id: "t", asset: .text(T.TextAsset(text: "Hi", font: T.Font(family: "Custom", src: "asset:gonefont"))), start: 0, length: 1)
        let timeline = T(tracks: [
            T.Track(id: "a", clips: [moving, after]),
            T.Track(id: "b", clips: [T.Clip(id: "s", asset: .audio(T.AudioAsset(src: "asset:gone")), start: 1, length: 2), afterSound]),
            T.Track(id: "c", clips: [title, T.Clip(id: "cap", asset: .captions(T.CaptionsAsset(src: "asset:gone")), start: 0, length: 5)]),
        ])
        let (shown, missing) = timeline.placeholdingMissing { $0 == "asset:here" }
        #expect(missing == ["asset:gone", "asset:gonefont"])
        let placeholder = shown.tracks[0].clips[0]
        #expect(placeholder.asset == .color(T.ColorAsset(color: T.missingColour)))
        #expect(placeholder.start == 0 && placeholder.length == 2 && placeholder.trim == 0 && placeholder.effects.isEmpty)
        #expect(placeholder.position == .topLeft && placeholder.scale == 0.5, "where the picture was")
        #expect(shown.tracks[0].clips[1].transition != nil, "the placeholder is still there to transition from")
        #expect(shown.tracks[1].clips.map(\.id) == ["tail"] && shown.tracks[1].clips[0].transition == nil)
        #expect(shown.tracks[2].clips.map(\.id) == ["t"])
        #expect(shown.tracks[2].clips[0].asset.font == T.Font(family: "DejaVu Sans"))
        // Nothing missing: the same document.
        #expect(timeline.placeholdingMissing { _ in true }.timeline == timeline)
    }
}
