import Foundation

extension Timeline {
    /// End of the last clip with an explicit length (or `range.end`). Video and audio clips without
    /// a length end at their source's end, which only `duration(resolve:)` knows; here they count up to their start.
    public var duration: Double {
        if let range = output.range { return range.end }
        return tracks.flatMap(\.clips).map { $0.start + max(0, $0.length ?? 0) }.max() ?? 0
    }

    /// Every distinct `src` and font `src` as written in the document (placeholders unfilled), in document order.
    public var sourceReferences: [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for clip in tracks.flatMap(\.clips) {
            for src in [clip.asset.src, clip.asset.font?.src].compactMap({ $0 }) where seen.insert(src).inserted {
                result.append(src)
            }
        }
        return result
    }

    /// The timeline with `{{NAME}}` placeholders in text and `src` filled from the document's
    /// `merge` overridden by `merge`. Placeholders without a value stay as written.
    public func applyingMerge(_ merge: [String: String]) -> Timeline {
        let values = self.merge.merging(merge) { _, request in request }
        var copy = self
        for ti in copy.tracks.indices {
            for ci in copy.tracks[ti].clips.indices {
                let asset = copy.tracks[ti].clips[ci].asset
                switch asset {
                case .video(var a):
                    a.src = Placeholders.fill(a.src, values)
                    copy.tracks[ti].clips[ci].asset = .video(a)
                case .audio(var a):
                    a.src = Placeholders.fill(a.src, values)
                    copy.tracks[ti].clips[ci].asset = .audio(a)
                case .image(var a):
                    a.src = Placeholders.fill(a.src, values)
                    copy.tracks[ti].clips[ci].asset = .image(a)
                case .text(var a):
                    a.text = Placeholders.fill(a.text, values)
                    a.font.src = a.font.src.map { Placeholders.fill($0, values) }
                    copy.tracks[ti].clips[ci].asset = .text(a)
                case .captions(var a):
                    a.src = Placeholders.fill(a.src, values)
                    a.font.src = a.font.src.map { Placeholders.fill($0, values) }
                    copy.tracks[ti].clips[ci].asset = .captions(a)
                case .color:
                    break
                }
            }
        }
        return copy
    }

    /// The document as JSON: sorted keys, every default written out, stable byte for byte.
    public func encodedJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding cannot fail: every value is a plain string, number or container (ranges exclude NaN).
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// `{{NAME}}` placeholders: NAME is letters, digits and `_`.
package enum Placeholders {
    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_")
    }

    /// Ranges and names of the placeholders in `text`, in order.
    private static func scan(_ text: String) -> [(range: Range<String.Index>, name: String)] {
        var result: [(Range<String.Index>, String)] = []
        var searchStart = text.startIndex
        while let open = text.range(of: "{{", range: searchStart..<text.endIndex) {
            guard let close = text.range(of: "}}", range: open.upperBound..<text.endIndex) else { break }
            let name = String(text[open.upperBound..<close.lowerBound])
            if !name.isEmpty, name.allSatisfy(isNameCharacter) {
                result.append((open.lowerBound..<close.upperBound, name))
                searchStart = close.upperBound
            } else {
                searchStart = open.upperBound
            }
        }
        return result
    }

    package static func names(in text: String) -> [String] {
        var seen: Set<String> = []
        return scan(text).map(\.name).filter { seen.insert($0).inserted }
    }

    package static func fill(_ text: String, _ values: [String: String]) -> String {
        var result = ""
        var cursor = text.startIndex
        for placeholder in scan(text) {
            result += text[cursor..<placeholder.range.lowerBound]
            result += values[placeholder.name] ?? String(text[placeholder.range])
            cursor = placeholder.range.upperBound
        }
        result += text[cursor...]
        return result
    }
}
