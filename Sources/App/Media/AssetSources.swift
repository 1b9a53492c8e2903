import Foundation
import Compiler
import Render
import TimelineModel
import Store

/// Resolves a timeline's `asset:<id>` sources to the user's stored files for the engine.
/// The server never resolves file paths: a document naming `/etc/passwd` or `../x` finds nothing.
struct AssetSources {
    let database: AppDatabase
    let blobs: any BlobStore

    /// Looks up every `asset:` source of `timeline` once (asynchronously) and returns a resolver the
    /// synchronous validator and compiler can call. With `materialize` (rendering) every source is
    /// made a local file (an S3 download into the cache) and a storage failure is thrown; without it
    /// (validation only needs the probed media info and the kinds) no bytes are fetched, and the
    /// paths are storage keys: only a materialized resolver's captions and fonts can be read.
    func resolver(for timeline: Timeline, userId: String, materialize: Bool = false) async throws -> SourceResolver {
        try await resolver(sources: timeline.sourceReferences, userId: userId, materialize: materialize)
    }

    /// The same for a list of `src` values (a batch's documents share one lookup of all their sources).
    func resolver(sources references: [String], userId: String, materialize: Bool = false) async throws -> SourceResolver {
        var resolved: [String: ResolvedSource] = [:]
        for src in references where resolved[src] == nil {
            guard src.hasPrefix("asset:") else { continue }
            let id = String(src.dropFirst("asset:".count))
            guard !id.isEmpty, let asset = try await database.asset(id: id, userId: userId) else { continue }
            // Captions and fonts are not probed media: their kind says what they are.
            let source: (String) -> ResolvedSource
            switch asset.kind {
            case .captions:
                source = { .captions(path: $0) }
            case .font:
                source = { .font(path: $0) }
            case .video, .audio, .image:
                guard let info = MediaInfo(storedJSON: asset.mediaInfo) else { continue }
                source = { ResolvedSource(path: $0, info: info) }
            }
            let key = try BlobKey(validating: asset.storageKey)
            guard materialize else {
                resolved[src] = source(key.rawValue)
                continue
            }
            let file: URL
            do {
                file = try await blobs.localFile(for: key)
            } catch StoreError.notFound {
                continue
            }
            resolved[src] = source(file.path)
        }
        let sources = resolved
        return { src in sources[src] }
    }
}
