/// The headers of one part that matter here: `Content-Disposition: form-data; name=…; filename=…`
/// (`filename*`, RFC 5987, wins over `filename`). Other headers (the client's Content-Type among
/// them: uploads are probed, not believed) are checked for syntax and otherwise ignored.
struct MultipartPartHeaders: Equatable {
    var name: String
    var filename: String?

    /// Parses a header block without its final empty line (`line CRLF line CRLF …`).
    static func parse(_ block: ArraySlice<UInt8>) throws(MultipartStream.Failure) -> MultipartPartHeaders {
        var disposition: String?
        var rest = block
        while !rest.isEmpty {
            let end = rest.firstIndex(of: 13) ?? rest.endIndex
            guard end == rest.endIndex || (end + 1 < rest.endIndex && rest[end + 1] == 10) else {
                throw .malformed("malformed multipart body: a bare CR in a part's headers")
            }
            let line = rest[rest.startIndex..<end]
            rest = end == rest.endIndex ? [] : rest[(end + 2)...]
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw .malformed("malformed multipart body: a part's header line has no name")
            }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy(Self.isTokenByte) else {
                throw .malformed(name.contains { $0 >= 128 }
                    ? "malformed multipart body: a part's header name is not ASCII"
                    : "malformed multipart body: a part's header name has characters a name may not have")
            }
            let rawValue = line[(colon + 1)...]
            guard !rawValue.contains(where: { ($0 < 32 && $0 != 9) || $0 == 127 }) else {
                throw .malformed("malformed multipart body: a control character in a part's header")
            }
            guard let value = String(validating: rawValue, as: UTF8.self) else {
                throw .malformed("malformed multipart body: a part's header is not UTF-8")
            }
            guard String(decoding: name, as: UTF8.self).lowercased() == "content-disposition" else { continue }
            guard disposition == nil else { throw .malformed("malformed multipart body: a part has two Content-Disposition headers") }
            disposition = value
        }
        guard let disposition, let parsed = Self.formData(disposition) else {
            throw .malformed("malformed multipart body: a part has no 'Content-Disposition: form-data' header with a name")
        }
        return parsed
    }

    /// `form-data; name="file"; filename="a.mp4"`; nil when it is not form-data with a name.
    static func formData(_ value: String) -> MultipartPartHeaders? {
        var scanner = ParameterScanner(Array(value.utf8))
        guard scanner.token()?.lowercased() == "form-data" else { return nil }
        var parameters: [String: String] = [:]
        while scanner.skip(";") {
            guard let key = scanner.token(), scanner.skip("="), let value = scanner.quotedString() ?? scanner.token() else { return nil }
            let lower = key.lowercased()
            // A repeated parameter makes the part ambiguous.
            guard parameters[lower] == nil else { return nil }
            parameters[lower] = value
        }
        guard scanner.atEnd, let name = parameters["name"] else { return nil }
        let filename = parameters["filename*"].flatMap(Self.extendedValue) ?? parameters["filename"]
        return MultipartPartHeaders(name: name, filename: filename)
    }

    /// RFC 5987 `charset'language'percent-encoded` (UTF-8 or ISO-8859-1); nil when malformed.
    static func extendedValue(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        var bytes: [UInt8] = []
        var encoded = Array(pieces[2].utf8)[...]
        while let byte = encoded.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard encoded.count >= 2, let high = hexValue(encoded.removeFirst()), let low = hexValue(encoded.removeFirst()) else { return nil }
            bytes.append(high << 4 | low)
        }
        switch pieces[0].lowercased() {
        case "utf-8": return String(validating: bytes, as: UTF8.self)
        case "iso-8859-1": return String(bytes.map { Character(Unicode.Scalar($0)) })
        default: return nil
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}

/// Tokens and quoted strings of a header value, with optional whitespace between them.
private struct ParameterScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool {
        mutating get { skipSpace(); return index == bytes.count }
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func token() -> String? {
        skipSpace()
        let start = index
        while index < bytes.count, MultipartPartHeaders.isTokenByte(bytes[index]) { index += 1 }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    /// A quoted string, unescaped. Browsers do not escape backslashes in file names (they write
    /// `"` as `%22`), so only `\"` and `\\` are escapes; any other backslash is kept.
    mutating func quotedString() -> String? {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        var value: [UInt8] = []
        var at = index + 1
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                index = at + 1
                return String(decoding: value, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "\"") || bytes[at + 1] == UInt8(ascii: "\\") {
                at += 1
            }
            value.append(bytes[at])
            at += 1
        }
        return nil
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    }
}
