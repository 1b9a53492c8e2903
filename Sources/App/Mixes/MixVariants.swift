import Foundation
import TimelineModel

/// A mix with its clips measured (lengths from the assets) and the variants cut from it as
/// timeline documents: the groups' clips back to back on one video track (with their sound),
/// the text layer over the whole variant on a second track.
struct MixVariants: Sendable {
    /// A clip with its final in-point, length (group's `maxLength` applied) and label.
    struct Clip: Sendable {
        var assetId: String
        var trim: Double
        /// Milliseconds, so starts add up exactly.
        var lengthMs: Int
        var label: String
    }

    struct Planned: Sendable {
        var index: Int
        /// (group, clip) per clip played, in order.
        var clips: [(group: Int, clip: Int)]
        var durationMs: Int
        var text: String?
        var document: JSONValue
    }

    let spec: MixSpec
    let name: String
    /// Per group (in playing order), its measured clips.
    let clips: [[Clip]]

    var generator: MixGenerator {
        MixGenerator(groups: zip(spec.groups, clips).map { group, clips in
            MixGenerator.Group(clips: clips.map { "\($0.assetId)@\($0.trim)+\($0.lengthMs)" }, pick: group.pick, optional: group.optional)
        })
    }

    /// How many variants `count` asks for (nil: the spec's own), or a 422 naming `pointer` when
    /// fewer distinct ones exist than an exact count.
    func resolvedCount(_ count: MixSpec.Count?, pointer: String) throws -> Int {
        let combinations = generator.combinations
        switch count ?? spec.count {
        case .all(let cap): return min(cap, combinations)
        case .exactly(let n):
            guard n <= combinations else {
                throw APIError.invalid("the mix has only \(combinations) distinct variant\(combinations == 1 ? "" : "s"); ask for at most that many or \"all\"",
                                       details: [.init(path: pointer, message: "at most \(combinations) (the number of distinct variants)")])
            }
            return n
        }
    }

    func plan(count: Int, seed: UInt64) -> [Planned] {
        generator.variants(count: count, seed: seed).map { plan($0, count: count) }
    }

    func plan(_ variant: MixGenerator.Variant, count: Int) -> Planned {
        var used: [(group: Int, clip: Int)] = []
        for (g, picks) in variant.picks.enumerated() { used += picks.map { (g, $0) } }
        var startMs = 0
        var videoClips: [JSONValue] = []
        for (n, (g, c)) in used.enumerated() {
            let clip = clips[g][c]
            videoClips.append(.object([
                ("id", .string("c\(n + 1)")),
                ("asset", .object([("type", .string("video")), ("src", .string("asset:" + clip.assetId))])),
                ("start", .number(Double(startMs) / 1000)),
                ("length", .number(Double(clip.lengthMs) / 1000)),
                ("trim", .number(clip.trim)),
            ]))
            startMs += clip.lengthMs
        }
        var tracks: [JSONValue] = [.object([("id", .string("clips")), ("clips", .array(videoClips))])]
        var text: String?
        if let layer = spec.text, !layer.texts.isEmpty {
            var values = ["VARIANT": String(variant.index + 1), "COUNT": String(count), "MIX": name]
            for (g, group) in spec.groups.enumerated() {
                values[group.name] = variant.picks[g].map { clips[g][$0].label }.joined(separator: ", ")
            }
            let filled = MixSpec.fill(layer.texts[variant.index % layer.texts.count], values)
            text = filled
            tracks.append(Self.textTrack(filled, layer: layer, lengthMs: startMs))
        }
        let document = JSONValue.object([("version", .number(1)), ("output", spec.output), ("tracks", .array(tracks))])
        return Planned(index: variant.index, clips: used, durationMs: startMs, text: text, document: document)
    }

    static func textTrack(_ text: String, layer: MixSpec.TextLayer, lengthMs: Int) -> JSONValue {
        let asset: [(key: String, value: JSONValue)] = [("type", .string("text")), ("text", .string(text))] + layer.asset
        let clip: [(key: String, value: JSONValue)] = [
            ("id", .string("text")), ("asset", .object(asset)), ("start", .number(0)), ("length", .number(Double(lengthMs) / 1000)),
        ] + layer.clip
        return .object([("id", .string("text")), ("clips", .array([.object(clip)]))])
    }

    /// Problems of the output settings and the text layer's style, found by reading a document
    /// made of them alone, reported where they were sent (`/output/…`, `/text/…`).
    static func styleProblems(of spec: MixSpec) -> [APIError.Detail] {
        var tracks: [JSONValue] = []
        if let layer = spec.text {
            let standIn = layer.texts.first.map { MixSpec.fill($0, [:]) } ?? "text"
            tracks.append(textTrack(standIn.isEmpty ? "text" : standIn, layer: layer, lengthMs: 1000))
        }
        let document = JSONValue.object([("version", .number(1)), ("output", spec.output), ("tracks", .array(tracks))])
        guard let reading = try? TimelineDocument.read(TemplateSchema.serialize(document)) else {
            return [.init(path: "/output", message: "could not be read")]
        }
        return reading.issues.map { issue in
            for prefix in ["/tracks/0/clips/0/asset", "/tracks/0/clips/0"] where issue.path.hasPrefix(prefix) {
                return .init(path: "/text" + issue.path.dropFirst(prefix.count), message: issue.message)
            }
            return .init(path: issue.path.hasPrefix("/output") ? issue.path : "/output", message: issue.message)
        }
    }
}
