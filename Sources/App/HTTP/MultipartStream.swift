import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a `multipart/form-data` body (RFC 7578) chunk by chunk as it arrives. The part named
/// `file` streams out as slices of the received chunks (never copied, never held); other parts
/// are small text fields kept in memory. The delimiter is found with `memchr` for its CR and
/// `memcmp` for the rest, so the file's bytes are scanned at memory speed; a delimiter split
/// across chunks is held back (at most its own length) until the next chunk decides it.
struct MultipartStream {
    struct Limits {
        /// One part's header block.
        var headerBytes = 16 * 1024
        /// Everything but the file's bytes: headers, fields, preamble, epilogue.
        var otherBytes = 256 * 1024
    }

    enum Failure: Error, Equatable {
        case malformed(String)
        /// More than `Limits.otherBytes` besides the file.
        case tooMuchBesidesTheFile(limit: Int)
    }

    /// What one chunk yielded for the file part.
    struct Output {
        /// Set when the file part's headers ended in this chunk: its name, before its bytes.
        var filename: String?
        var fileBytes: [ByteBuffer] = []

        mutating func reset() {
            filename = nil
            fileBytes.removeAll(keepingCapacity: true)
        }
    }

    private enum Part {
        case preamble, file, field(name: String), epilogue
    }

    /// Where the reader is: in a part's body (or the preamble/epilogue), just after a delimiter,
    /// or in a part's header block.
    private enum State {
        case body
        case afterDelimiter(AfterDelimiter)
        case headers
    }

    /// `--` closes the body; otherwise transport padding (spaces, tabs) and CRLF open a part.
    private enum AfterDelimiter {
        case start, dash, padding, cr
    }

    /// `CRLF--boundary`.
    private let delimiter: [UInt8]
    private let limits: Limits
    private var state = State.body
    private var part = Part.preamble
    /// A proper prefix of `delimiter` that ended the previous chunk: the next bytes decide
    /// whether it is the delimiter or body. The body starts as if after a CRLF, so a first
    /// boundary at its very start is found like any other.
    private var held: [UInt8] = [13, 10]
    private var header: [UInt8] = []
    /// Within a header line's name (before its colon): checked as it arrives, so a body that
    /// never ends its headers is still refused for what is wrong with them.
    private var inHeaderName = true
    private var fieldValue: [UInt8] = []
    private var otherBytes = 0
    private(set) var filename: String?
    private(set) var fields: [(name: String, value: String)] = []

    /// nil when `boundary` is not 1 to 70 characters without CR or LF (RFC 2046 allows fewer
    /// characters still; CR and LF would break the scan, which relies on the CR being the
    /// delimiter's first byte only).
    init?(boundary: String, limits: Limits = Limits()) {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), !bytes.contains(13), !bytes.contains(10) else { return nil }
        delimiter = [13, 10, 45, 45] + bytes
        self.limits = limits
    }

    /// Reads `chunk`; the file's bytes in it (and its name, once known) are added to `output`.
    mutating func feed(_ chunk: ByteBuffer, into output: inout Output) throws(Failure) {
        var offset = 0
        let count = chunk.readableBytes
        while offset < count {
            switch state {
            case .body:
                offset = try scanBody(chunk, from: offset, into: &output)
            case .afterDelimiter(let step):
                offset = try afterDelimiter(step, chunk, at: offset)
            case .headers:
                offset = try readHeaders(chunk, from: offset, into: &output)
            }
        }
    }

    /// The body has ended: the file's name, or why the body is not a complete upload.
    func finish() throws(Failure) -> String {
        switch (state, part) {
        case (.body, .epilogue):
            // A part only ends at a delimiter: past the closing one, the file (if any) is whole.
            guard let filename else { throw .malformed("multipart body has no 'file' field") }
            return filename
        case (.body, .file):
            throw .malformed("the upload ended before the file was complete")
        default:
            throw .malformed("the multipart body ended before its closing boundary")
        }
    }

    // MARK: - Bodies

    /// Scans from `start` for the delimiter, passing body bytes on; returns where it stopped.
    private mutating func scanBody(_ chunk: ByteBuffer, from start: Int, into output: inout Output) throws(Failure) -> Int {
        if case .epilogue = part {
            try countOther(chunk.readableBytes - start)
            return chunk.readableBytes
        }
        let found = chunk.withUnsafeReadableBytes { bytes in
            delimiter.withUnsafeBytes { delimiter in
                Self.match(held: held.count, delimiter, in: UnsafeRawBufferPointer(rebasing: bytes[start...]))
            }
        }
        switch found {
        case .heldIsDelimiter(let end):
            held.removeAll(keepingCapacity: true)
            endPart()
            return start + end
        case .heldGrows:
            held.append(contentsOf: chunk.readableBytesView.dropFirst(start))
            return chunk.readableBytes
        case .body(let bodyEnd, let next):
            if !held.isEmpty {
                try pass(ByteBuffer(bytes: held), into: &output)
                held.removeAll(keepingCapacity: true)
            }
            if bodyEnd > 0, let slice = chunk.getSlice(at: chunk.readerIndex + start, length: bodyEnd) {
                try pass(slice, into: &output)
            }
            switch next {
            case .delimiter(let length):
                endPart()
                return start + bodyEnd + length
            case .partial:
                held.append(contentsOf: chunk.readableBytesView.dropFirst(start + bodyEnd))
                return chunk.readableBytes
            case .nothing:
                return chunk.readableBytes
            }
        }
    }

    private enum Match {
        /// The held bytes and the first `end` bytes of the chunk are the delimiter.
        case heldIsDelimiter(end: Int)
        /// The whole chunk continues the held prefix without completing it.
        case heldGrows
        /// The held bytes (if any) and `bytes[..<end]` are body; then comes `next`.
        case body(end: Int, next: Next)
    }

    private enum Next {
        case delimiter(length: Int)
        /// The rest of the chunk is a proper prefix of the delimiter.
        case partial
        /// The chunk is all body.
        case nothing
    }

    /// Where the delimiter is in `bytes`, given that the previous chunk ended with its first
    /// `held` bytes. The delimiter's only CR is its first byte, so a CR found by `memchr` is the
    /// only place a delimiter may start, and held bytes that turn out not to be one are all body.
    private static func match(held: Int, _ delimiter: UnsafeRawBufferPointer, in bytes: UnsafeRawBufferPointer) -> Match {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .heldGrows }
        let count = bytes.count
        if held > 0 {
            let wanted = min(delimiter.count - held, count)
            if memcmp(base, delimiter.baseAddress! + held, wanted) == 0 {
                return held + wanted == delimiter.count ? .heldIsDelimiter(end: wanted) : .heldGrows
            }
        }
        var from = 0
        while from < count, let found = memchr(base + from, 13, count - from) {
            let at = base.distance(to: UnsafeRawPointer(found))
            let available = min(delimiter.count, count - at)
            if memcmp(found, delimiter.baseAddress!, available) == 0 {
                return .body(end: at, next: available == delimiter.count ? .delimiter(length: available) : .partial)
            }
            from = at + 1
        }
        return .body(end: count, next: .nothing)
    }

    /// Body bytes of the current part: the file's go out, a field's are kept, the preamble's dropped.
    private mutating func pass(_ bytes: ByteBuffer, into output: inout Output) throws(Failure) {
        switch part {
        case .file:
            output.fileBytes.append(bytes)
        case .field:
            try countOther(bytes.readableBytes)
            fieldValue.append(contentsOf: bytes.readableBytesView)
        case .preamble, .epilogue:
            try countOther(bytes.readableBytes)
        }
    }

    private mutating func endPart() {
        switch part {
        case .field(let name):
            fields.append((name, String(decoding: fieldValue, as: UTF8.self)))
            fieldValue.removeAll()
        case .preamble, .file, .epilogue:
            break
        }
        state = .afterDelimiter(.start)
    }

    private mutating func countOther(_ count: Int) throws(Failure) {
        otherBytes += count
        guard otherBytes <= limits.otherBytes else { throw .tooMuchBesidesTheFile(limit: limits.otherBytes) }
    }

    // MARK: - Between parts

    private mutating func afterDelimiter(_ step: AfterDelimiter, _ chunk: ByteBuffer, at offset: Int) throws(Failure) -> Int {
        try countOther(1)
        let byte = chunk.readableBytesView[chunk.readerIndex + offset]
        switch (step, byte) {
        case (.start, UInt8(ascii: "-")):
            state = .afterDelimiter(.dash)
        case (.dash, UInt8(ascii: "-")):
            part = .epilogue
            state = .body
        case (.start, UInt8(ascii: " ")), (.start, UInt8(ascii: "\t")), (.padding, UInt8(ascii: " ")), (.padding, UInt8(ascii: "\t")):
            state = .afterDelimiter(.padding)
        case (.start, 13), (.padding, 13):
            state = .afterDelimiter(.cr)
        case (.cr, 10):
            header.removeAll(keepingCapacity: true)
            inHeaderName = true
            state = .headers
        default:
            throw .malformed("malformed multipart body: a boundary line is followed by unexpected bytes")
        }
        return offset + 1
    }

    // MARK: - Part headers

    /// Collects a part's header block up to its empty line, then starts the part's body.
    private mutating func readHeaders(_ chunk: ByteBuffer, from start: Int, into output: inout Output) throws(Failure) -> Int {
        let view = chunk.readableBytesView
        var offset = start
        var index = view.startIndex + start
        while index < view.endIndex {
            let byte = view[index]
            header.append(byte)
            index += 1
            offset += 1
            guard header.count <= limits.headerBytes else {
                throw .malformed("a multipart part's headers are longer than \(limits.headerBytes / 1024) KiB")
            }
            if inHeaderName, byte >= 128 { throw .malformed("malformed multipart body: a part's header name is not ASCII") }
            if byte == UInt8(ascii: ":") { inHeaderName = false }
            // The block ends with an empty line: CRLF at its very start or CRLF CRLF.
            guard byte == 10 else { continue }
            inHeaderName = true
            let n = header.count
            if header[n - 2] == 13, n == 2 || (n >= 4 && header[n - 4] == 13 && header[n - 3] == 10) {
                try countOther(header.count)
                try startPart(MultipartPartHeaders.parse(header.dropLast(2)), into: &output)
                return offset
            }
        }
        return offset
    }

    private mutating func startPart(_ headers: MultipartPartHeaders, into output: inout Output) throws(Failure) {
        state = .body
        if headers.name == "file" {
            guard filename == nil else { throw .malformed("send one file per request") }
            let name = headers.filename ?? "upload"
            filename = name
            output.filename = name
            part = .file
        } else if headers.filename != nil {
            throw .malformed("send one file per request, in the 'file' field (the part '\(headers.name)' carries a file too)")
        } else {
            part = .field(name: headers.name)
        }
    }
}
