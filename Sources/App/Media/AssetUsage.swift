import Foundation
import TimelineModel
import Store

/// Where an asset is used: every clip of the user's saved timelines whose `src` (or font file)
/// names it, with a JSON Pointer into that timeline's document.
struct AssetUsage: Codable, Sendable, Hashable {
    var projectId: String
    var timelineId: String
    var timelineName: String
    var trackId: String
    var clipId: String
    /// Into the timeline's document: `/tracks/0/clips/2/asset/src` (or `…/asset/font/src`).
    var path: String

    /// The uses of `src` (`asset:<id>`) in `records` (documents that cannot be read are skipped).
    static func find(_ src: String, in records: [TimelineRecord]) -> [AssetUsage] {
        var uses: [AssetUsage] = []
        for record in records {
            guard let timeline = try? TimelineDocument.decode(Data(record.document.utf8)) else { continue }
            for (ti, track) in timeline.tracks.enumerated() {
                for (ci, clip) in track.clips.enumerated() {
                    let clipPath = "/tracks/\(ti)/clips/\(ci)/asset"
                    let paths = [(clip.asset.src, "/src"), (clip.asset.font?.src, "/font/src")].compactMap { $0.0 == src ? clipPath + $0.1 : nil }
                    for path in paths {
                        uses.append(AssetUsage(
                            projectId: record.projectId, timelineId: record.id, timelineName: record.name,
                            trackId: track.id, clipId: clip.id, path: path))
                    }
                }
            }
        }
        return uses
    }
}
