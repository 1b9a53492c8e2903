import Foundation

/// SRT and WebVTT parsing. Both are blocks separated by blank lines: an optional identifier line
/// (SRT's cue number), a timing line `start --> end` (WebVTT may add cue settings after it), then
/// the text. WebVTT's header, `NOTE`, `STYLE` and `REGION` blocks are skipped; markup (`<i>`,
/// `<b>`, `<c.x>`, `<v Name>`, SRT's `<font>` and `{\an8}`) is dropped and the entities `&amp;`,
/// `&lt;`, `&gt;`, `&nbsp;`, `&quot;`, `&apos;`, `&lrm;`, `&rlm;` and `&#…;` are decoded.
extension Captions {
    /// Parses SRT or WebVTT (WebVTT when the text starts with `WEBVTT`); errors name the line.
    public static func parse(_ data: Data) throws(RenderError) -> Captions {
        guard data.count <= maxBytes else {
            throw .invalidCaptions(line: 0, reason: "the file is larger than \(maxBytes / 1_048_576) MiB")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw .invalidCaptions(line: 0, reason: "the file is not UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // A CRLF pair is one Character, so isNewline splits LF, CR and CRLF alike.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if let nul = lines.firstIndex(where: { $0.contains("\u{0}") }) {
            throw .invalidCaptions(line: nul + 1, reason: "binary data (a NUL character): not a captions file")
        }
        var index = 0
        let isWebVTT = lines.first?.hasPrefix("WEBVTT") == true
        if isWebVTT {
            guard let first = lines.first, first.count == 6 || first.dropFirst(6).first == " " || first.dropFirst(6).first == "\t" else {
                throw .invalidCaptions(line: 1, reason: "a WebVTT file starts with a line 'WEBVTT'")
            }
            while index < lines.count, !isBlank(lines[index]) { index += 1 }
        }
        var cues: [Cue] = []
        while index < lines.count {
            while index < lines.count, isBlank(lines[index]) { index += 1 }
            guard index < lines.count else { break }
            let blockStart = index
            while index < lines.count, !isBlank(lines[index]) { index += 1 }
            let block = lines[blockStart..<index]
            if isWebVTT, let head = block.first, ["NOTE", "STYLE", "REGION"].contains(where: { startsBlock(head, $0) }) { continue }
            // The first line is an identifier (SRT's number, WebVTT's optional id) unless it is the timing.
            let timingIndex = block[blockStart].contains("-->") ? blockStart : blockStart + 1
            guard timingIndex < index, block[timingIndex].contains("-->") else {
                let line = timingIndex < index ? timingIndex : blockStart
                let example = isWebVTT ? "00:01.000 --> 00:02.500" : "00:00:01,000 --> 00:00:02,500"
                throw .invalidCaptions(line: line + 1, reason: "expected a cue timing such as '\(example)', got '\(excerpt(lines[line]))'")
            }
            let (start, end) = try timing(lines[timingIndex], line: timingIndex + 1)
            let text = block[(timingIndex + 1)...].map { plainText($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !text.isEmpty, end > start {
                cues.append(Cue(start: start, end: end, text: text.joined(separator: "\n")))
            }
        }
        let ordered = cues.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
        return Captions(cues: ordered)
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// `line` is `keyword` alone or followed by a space or tab.
    private static func startsBlock(_ line: Substring, _ keyword: String) -> Bool {
        guard line.hasPrefix(keyword) else { return false }
        let next = line.dropFirst(keyword.count).first
        return next == nil || next == " " || next == "\t"
    }

    private static func excerpt(_ line: Substring) -> String {
        line.count > 60 ? String(line.prefix(60)) + "…" : String(line)
    }

    /// `start --> end` with anything after the end time (WebVTT cue settings, SRT coordinates) ignored.
    private static func timing(_ line: Substring, line number: Int) throws(RenderError) -> (Double, Double) {
        guard let arrow = line.range(of: "-->") else {
            throw .invalidCaptions(line: number, reason: "expected '-->' between the cue's start and end")
        }
        let left = line[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
        let right = line[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
        let endText = right.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        let start = try time(left, line: number)
        let end = try time(endText, line: number)
        if end < start {
            throw .invalidCaptions(line: number, reason: "the cue ends (\(endText)) before it starts (\(left))")
        }
        return (start, end)
    }

    /// `[HH:]MM:SS[,.]mmm` in seconds.
    private static func time(_ text: String, line number: Int) throws(RenderError) -> Double {
        func invalid(_ why: String) -> RenderError {
            .invalidCaptions(line: number, reason: "'\(text.count > 30 ? String(text.prefix(30)) + "…" : text)' is not a cue time (\(why))")
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let last = parts.last else { throw invalid("expected HH:MM:SS,mmm") }
        let secondsParts = last.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "." })
        guard secondsParts.count <= 2 else { throw invalid("expected HH:MM:SS,mmm") }
        let fields = Array(parts.dropLast()) + [secondsParts[0]]
        guard fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { throw invalid("expected digits, as HH:MM:SS,mmm") }
        let hourDigits = parts.count == 3 ? 6 : 2
        guard fields[0].count <= hourDigits, fields.dropFirst().allSatisfy({ $0.count <= 2 }) else { throw invalid("a number is too large") }
        // At most 6 digits each: Int cannot fail.
        let values = fields.map { Int($0) ?? 0 }
        let hours = parts.count == 3 ? values[0] : 0
        let minutes = values[values.count - 2], seconds = values[values.count - 1]
        guard minutes < 60, seconds < 60 else { throw invalid("minutes and seconds must be below 60") }
        var fraction = 0.0
        if secondsParts.count == 2 {
            let digits = secondsParts[1]
            guard (1...3).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let value = Int(digits) else {
                throw invalid("expected 1 to 3 digits of milliseconds")
            }
            fraction = Double(value) / pow(10, Double(digits.count))
        }
        let total = Double(hours * 3600 + minutes * 60 + seconds) + fraction
        guard total <= Timeline.maxTime else { throw invalid("beyond 24 hours") }
        return total
    }

    /// The line without markup tags, with entities decoded (one pass, so `&amp;lt;` stays `&lt;`).
    package static func plainText(_ line: Substring) -> String {
        var out = ""
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if c == "<", let close = line[index...].firstIndex(of: ">") {
                index = line.index(after: close)
                continue
            }
            if c == "{", line[line.index(after: index)...].first == "\\", let close = line[index...].firstIndex(of: "}") {
                index = line.index(after: close)
                continue
            }
            if c == "&", let semicolon = line[index...].prefix(12).firstIndex(of: ";"),
               let decoded = entity(line[line.index(after: index)..<semicolon]) {
                out += decoded
                index = line.index(after: semicolon)
                continue
            }
            out.append(c)
            index = line.index(after: index)
        }
        return out
    }

    private static func entity(_ name: Substring) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "nbsp": return "\u{00A0}"
        case "quot": return "\""
        case "apos": return "'"
        case "lrm", "rlm": return ""
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            return String(Character(scalar))
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
