import Foundation
import Testing
import TimelineModel

@testable import App

/// The variant generator without HTTP: properties over many seeds and shapes of mixes.
@Suite("Mix generator")
struct MixGeneratorTests {
    /// A mix shape made from `seed`: 1–4 groups of 1–6 clips, each clip its own asset.
    static func shape(_ seed: UInt64, pick: Bool = false, optional: Bool = false) -> [MixGenerator.Group] {
        var random = SplitMix64(seed: seed &* 7919)
        let groups = 1 + Int(random.next() % 4)
        return (0..<groups).map { g in
            let clips = 1 + Int(random.next() % 6)
            return MixGenerator.Group(
                clips: (0..<clips).map { "g\(g)c\($0)" },
                pick: pick ? 1 + Int(random.next() % UInt64(clips)) : 1,
                optional: optional && random.next() % 2 == 0)
        }
    }

    static func sequence(_ variant: MixGenerator.Variant, _ groups: [MixGenerator.Group]) -> [String] {
        variant.picks.enumerated().flatMap { g, picks in picks.map { groups[g].clips[$0] } }
    }

    @Test func sameSeedSameVariantsAndNoTwoAlike() {
        for seed in UInt64(0)..<300 {
            let groups = Self.shape(seed, pick: seed % 3 == 0, optional: seed % 2 == 0)
            let generator = MixGenerator(groups: groups)
            let count = min(generator.combinations, 1 + Int(seed % 40))
            let first = generator.variants(count: count, seed: seed)
            #expect(first == MixGenerator(groups: groups).variants(count: count, seed: seed))
            #expect(first.count == count, "seed \(seed): \(first.count) of \(count)")
            #expect(first.map(\.index) == Array(0..<first.count))
            let sequences = first.map { Self.sequence($0, groups) }
            #expect(Set(sequences).count == sequences.count, "seed \(seed)")
            #expect(sequences.allSatisfy { !$0.isEmpty })
        }
    }

    @Test func allCombinationsAreReachedAndNoMore() {
        for seed in UInt64(0)..<100 {
            let groups = Self.shape(seed, pick: true, optional: true)
            let generator = MixGenerator(groups: groups)
            let all = generator.variants(count: generator.combinations + 5, seed: seed)
            #expect(all.count == generator.combinations, "seed \(seed)")
            #expect(Set(all.map { Self.sequence($0, groups) }).count == all.count)
        }
        // 3 × (C(4,2) + left out) × 2, less nothing (not every group is optional).
        let groups = [
            MixGenerator.Group(clips: ["a", "b", "c"], pick: 1, optional: false),
            MixGenerator.Group(clips: ["d", "e", "f", "g"], pick: 2, optional: true),
            MixGenerator.Group(clips: ["h", "i"], pick: 1, optional: false),
        ]
        #expect(MixGenerator(groups: groups).combinations == 3 * 7 * 2)
        #expect(MixGenerator(groups: [.init(clips: ["a"], pick: 1, optional: true)]).combinations == 1)
        #expect(MixGenerator.choose(50, 25) == 126_410_606_437_752)
        #expect(MixGenerator.choose(200, 100) == Int.max)
    }

    /// After any number of variants, each clip of a pick-one group has been used within one time of
    /// every other, and exactly as often when the count is a multiple of lcm(group sizes).
    @Test func usageIsBalancedWithinOne() {
        for seed in UInt64(0)..<150 {
            let groups = Self.shape(seed)
            let generator = MixGenerator(groups: groups)
            let sizes = groups.map(\.clips.count)
            let spread = sizes.reduce(1) { MixGenerator.lcm($0, $1) }
            let all = generator.variants(count: generator.combinations, seed: seed)
            for n in 1...all.count {
                for (g, size) in sizes.enumerated() {
                    var used = Array(repeating: 0, count: size)
                    for variant in all.prefix(n) { used[variant.picks[g][0]] += 1 }
                    #expect(used.max()! - used.min()! <= 1, "seed \(seed), \(n) variants, group \(g): \(used)")
                    if n % spread == 0 { #expect(Set(used).count == 1, "seed \(seed), \(n) variants, group \(g): \(used)") }
                }
            }
        }
    }

    @Test func pickKAndOptionalAreRespected() {
        for seed in UInt64(0)..<150 {
            let groups = Self.shape(seed, pick: true, optional: true)
            let generator = MixGenerator(groups: groups)
            let variants = generator.variants(count: min(generator.combinations, 60), seed: seed)
            var leftOut = Array(repeating: 0, count: groups.count)
            for variant in variants {
                for (g, picks) in variant.picks.enumerated() {
                    if picks.isEmpty {
                        #expect(groups[g].optional, "seed \(seed): a required group was left out")
                        leftOut[g] += 1
                    } else {
                        #expect(picks.count == groups[g].pick)
                        #expect(picks == picks.sorted() && Set(picks).count == picks.count, "picks keep the listed order, no repeats")
                    }
                }
            }
            // "Left out" is one choice among the group's: used about as often as any other.
            for (g, group) in groups.enumerated() where group.optional && !groups.allSatisfy(\.optional) {
                let choices = MixGenerator.choose(group.clips.count, group.pick) + 1
                let expected = Double(variants.count) / Double(choices)
                #expect(abs(Double(leftOut[g]) - expected) <= 1, "seed \(seed) group \(g): \(leftOut[g]) vs \(expected)")
            }
        }
    }

    @Test func seedsChangeTheVariants() {
        let groups = [MixGenerator.Group(clips: ["a", "b", "c", "d"], pick: 1, optional: false), .init(clips: ["e", "f", "g"], pick: 1, optional: false)]
        let lists = Set((UInt64(0)..<20).map { seed in MixGenerator(groups: groups).variants(count: 5, seed: seed).map { Self.sequence($0, groups) } })
        #expect(lists.count > 10)
    }

    @Test func theSameAssetInTwoGroupsNeverGivesTheSameSequenceTwice() {
        let groups = [MixGenerator.Group(clips: ["x", "y"], pick: 1, optional: true), .init(clips: ["x", "z"], pick: 1, optional: true)]
        let all = MixGenerator(groups: groups).variants(count: 100, seed: 3)
        let sequences = all.map { Self.sequence($0, groups) }
        #expect(Set(sequences).count == sequences.count)
        // 3 × 3 − 1 empty = 8 tuples; [x] twice (x+skip, skip+x) counts once.
        #expect(sequences.count == 7)
    }

    /// Variants as timeline documents: clips back to back (group `maxLength` applied), the text layer
    /// over the whole variant with its placeholders filled, and a document the engine reads cleanly.
    @Test func variantsAreTimelineDocuments() throws {
        let body = #"""
        {"groups": [{"name": "hook", "clips": ["asset:A", {"src": "asset:B", "trim": 0.5}], "maxLength": 1.5},
                    {"name": "cta", "clips": [{"src": "asset:C", "length": 0.75, "label": "Buy now"}]}],
         "order": ["cta", "hook"],
         "text": {"text": "{{VARIANT}}/{{COUNT}} {{cta}} {{hook}}", "font": {"size": 24}, "position": "bottom"},
         "output": {"width": 320, "height": 240, "fps": 25}, "count": 2}
        """#
        let (spec, problems) = MixSpec.read(try JSONParser.parse(Data(body.utf8)), maxVariants: 100)
        #expect(problems.isEmpty)
        let mix = MixVariants(spec: try #require(spec), name: "Spring", clips: [
            [.init(assetId: "C", trim: 0, lengthMs: 750, label: "Buy now")],
            [.init(assetId: "A", trim: 0, lengthMs: 1500, label: "a.mp4"), .init(assetId: "B", trim: 0.5, lengthMs: 1500, label: "b.mp4")],
        ])
        #expect(MixVariants.styleProblems(of: mix.spec).isEmpty)
        let planned = mix.plan(count: 2, seed: 9)
        #expect(planned.count == 2)
        #expect(Set(planned.map { $0.clips.map(\.clip) }).count == 2)
        for variant in planned {
            #expect(variant.durationMs == 2250)
            #expect(variant.clips.first?.group == 0, "cta plays first, as ordered")
            let reading = try TimelineDocument.read(TemplateSchema.serialize(variant.document))
            #expect(reading.issues.isEmpty, "\(reading.issues)")
            let video = reading.timeline.tracks[0].clips
            #expect(video.map(\.start) == [0, 0.75])
            #expect(reading.timeline.tracks[1].clips[0].length == 2.25)
            let hook = variant.clips[1].clip == 0 ? "a.mp4" : "b.mp4"
            #expect(variant.text == "\(variant.index + 1)/2 Buy now \(hook)")
        }
    }

    @Test func specProblemsCarryPointers() throws {
        let body = #"""
        {"groups": [{"name": "hook", "clips": ["asset:A", "nope", {"src": "asset:B", "trim": -1, "speed": 2}], "pick": 4},
                    {"name": "hook", "clips": []}, {"name": "bad name", "clips": ["asset:C"]}],
         "order": ["hook", "missing"], "text": {"text": "{{WHO}}", "texts": ["a"]}, "count": 0, "extra": 1}
        """#
        let (spec, problems) = MixSpec.read(try JSONParser.parse(Data(body.utf8)), maxVariants: 100)
        #expect(spec == nil)
        let paths = Set(problems.map(\.path))
        for path in ["/extra", "/groups/0/clips/1", "/groups/0/clips/2/trim", "/groups/0/clips/2/speed", "/groups/0/pick",
                     "/groups/1/clips", "/groups/1/name", "/groups/2/name", "/order/1", "/text/texts", "/count"] {
            #expect(paths.contains(path), "\(path) missing from \(paths.sorted())")
        }
        let style = #"{"groups": [{"name": "a", "clips": ["asset:A"]}], "text": {"text": "{{a}}", "font": {"size": -3}, "position": "middle"}, "output": {"width": 33}}"#
        let (styled, none) = MixSpec.read(try JSONParser.parse(Data(style.utf8)), maxVariants: 100)
        #expect(none.isEmpty)
        let stylePaths = Set(MixVariants.styleProblems(of: try #require(styled)).map(\.path))
        #expect(stylePaths.isSuperset(of: ["/text/font/size", "/text/position", "/output/width"]), "\(stylePaths.sorted())")
    }
}
