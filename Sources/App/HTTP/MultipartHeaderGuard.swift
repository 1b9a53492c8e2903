import NIOCore

/// Follows a multipart body the way MultipartKit 4.7.1's `MultipartParser` reads it, byte for byte,
/// to find what that parser cannot survive: a byte of 128 or more in a part's header name indexes
/// its 128-entry character table out of range and stops the whole process (found by schemathesis:
/// `--b\r\nÜ--b--`). Each chunk is checked before the parser sees it. Where the parser would
/// refuse the syntax anyway, the guard stops watching: the parser throws on that same byte.
struct MultipartHeaderGuard {
    private enum State {
        case preamble(match: Int)
        /// `.cr`/`.lf`: the CRLF after a boundary; `nameEmpty`: within a header name.
        case preHeaders(expectingLF: Bool)
        case headerName(empty: Bool)
        case headerValue
        case postHeaderValue
        case postHeaders
        case body
        case boundary(match: Int)
        case done
    }

    private let delimiter: [UInt8]
    private var state: State = .preamble(match: 0)

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// False when `chunk` holds a header-name byte the parser would crash on.
    mutating func isSafe(_ chunk: ByteBuffer) -> Bool {
        for byte in chunk.readableBytesView {
            switch state {
            case .done:
                return true
            case .preamble(let match):
                var next: Int
                if match == 0, byte == delimiter[2] { next = 3 }
                else if byte == delimiter[match] { next = match + 1 }
                else if match > 0, byte == delimiter[0] { next = 1 }
                else { next = 0 }
                state = next >= delimiter.count ? .preHeaders(expectingLF: false) : .preamble(match: next)
            case .preHeaders(let expectingLF):
                if !expectingLF, byte == 13 { state = .preHeaders(expectingLF: true) }
                else if expectingLF, byte == 10 { state = .headerName(empty: true) }
                else { state = .done }
            case .headerName(let empty):
                if byte == 58, !empty { state = .headerValue }
                else if byte == 13, empty { state = .postHeaders }
                else if byte >= 128 { return false }
                else { state = .headerName(empty: false) }
            case .headerValue:
                if byte == 13 { state = .postHeaderValue }
            case .postHeaderValue:
                state = byte == 10 ? .headerName(empty: true) : .done
            case .postHeaders:
                state = byte == 10 ? .body : .done
            case .body:
                if byte == delimiter[0] { state = .boundary(match: 1) }
            case .boundary(let match):
                if match >= delimiter.count {
                    state = byte == 13 ? .preHeaders(expectingLF: true) : .done
                } else if byte == delimiter[match] {
                    state = .boundary(match: match + 1)
                } else {
                    state = byte == delimiter[0] ? .boundary(match: 1) : .body
                }
            }
        }
        return true
    }
}
