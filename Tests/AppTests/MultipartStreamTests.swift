import NIOCore
import Testing

@testable import App

/// The streaming multipart reader on its own: the same body cut into chunks anywhere reads the same.
@Suite("Multipart stream")
struct MultipartStreamTests {
    static let boundary = "----cutroomBoundary7MA4YWxk"

    /// What a whole body read to its end gave.
    struct Read: Equatable {
        var filename: String
        var file: [UInt8]
        var fields: [String]
    }

    /// Feeds `body` cut at `cuts` (offsets, ascending) and finishes.
    static func read(_ body: [UInt8], cuts: [Int] = [], boundary: String = boundary, limits: MultipartStream.Limits = .init()) throws -> Read {
        var stream = try #require(MultipartStream(boundary: boundary, limits: limits), "usable boundary")
        var output = MultipartStream.Output()
        var file: [UInt8] = []
        var named: String?
        var start = 0
        for end in cuts + [body.count] where end >= start && end <= body.count {
            output.reset()
            try stream.feed(ByteBuffer(bytes: body[start..<end]), into: &output)
            if let filename = output.filename {
                #expect(named == nil, "the file is named once")
                named = filename
            }
            for bytes in output.fileBytes {
                #expect(named != nil, "the name comes before the bytes")
                file += bytes.readableBytesView
            }
            start = end
        }
        let filename = try stream.finish()
        #expect(named == filename)
        return Read(filename: filename, file: file, fields: stream.fields.map { "\($0.name)=\($0.value)" })
    }

    static func read(_ body: String, cuts: [Int] = [], boundary: String = boundary) throws -> Read {
        try read(Array(body.utf8), cuts: cuts, boundary: boundary)
    }

    /// A body as a browser sends it: a text field, then the file.
    static func body(file: [UInt8], filename: String = "clip.mp4", boundary: String = boundary) -> [UInt8] {
        Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMy clip\r\n".utf8)
            + Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: video/mp4\r\n\r\n".utf8)
            + file + Array("\r\n--\(boundary)--\r\n".utf8)
    }

    /// File content full of near-delimiters: every proper prefix of `CRLF--boundary`, a boundary
    /// after a bare LF, dashes, CRs.
    static var trickyFile: [UInt8] {
        let delimiter = Array("\r\n--\(boundary)".utf8)
        var bytes: [UInt8] = Array("\r\r\n\r\n-\r\n--".utf8)
        for length in 1..<delimiter.count {
            bytes += delimiter.prefix(length) + [0x00, 0xFF]
        }
        bytes += Array("\n--\(boundary)\r\n--\(boundary.dropLast())x\r".utf8)
        return bytes + delimiter.dropLast()
    }

    @Test func aWholeBodyReadsInOneChunk() throws {
        let read = try Self.read(Self.body(file: Self.trickyFile))
        #expect(read == Read(filename: "clip.mp4", file: Self.trickyFile, fields: ["title=My clip"]))
    }

    @Test func everyCutGivesTheSameFile() throws {
        let body = Self.body(file: Self.trickyFile)
        let expected = try Self.read(body)
        for cut in 0...body.count {
            #expect(try Self.read(body, cuts: [cut]) == expected, "cut at \(cut)")
        }
        // Two cuts anywhere around the last delimiter (the file's end and the closing boundary).
        let tail = body.count - Self.boundary.utf8.count - 12
        for first in tail..<body.count {
            for second in first...body.count {
                #expect(try Self.read(body, cuts: [first, second]) == expected, "cuts at \(first), \(second)")
            }
        }
        #expect(try Self.read(body, cuts: Array(1..<body.count)) == expected, "one byte at a time")
    }

    @Test func randomChunkingsGiveTheSameFile() throws {
        var random = SplitMix64(seed: 14)
        for round in 0..<200 {
            // Random bytes with the delimiter's prefixes sprinkled in.
            var file: [UInt8] = []
            let delimiter = Array("\r\n--\(Self.boundary)".utf8)
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                file += (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                // A NUL after the prefix (never in a boundary) keeps chance from completing it.
                file += delimiter.prefix(Int.random(in: 1..<delimiter.count, using: &random)) + [0]
            }
            let body = Self.body(file: file)
            var cuts: [Int] = []
            var at = 0
            while true {
                at += Int.random(in: 1...97, using: &random)
                guard at < body.count else { break }
                cuts.append(at)
            }
            let read = try Self.read(body, cuts: cuts)
            #expect(read.file == file, "round \(round)")
            #expect(read.filename == "clip.mp4")
        }
    }

    @Test func aBodyOfOneMegabyteInBrowserSizedChunks() throws {
        var random = SplitMix64(seed: 5)
        let file = (0..<1_048_576).map { _ in UInt8.random(in: 0...255, using: &random) }
        let body = Self.body(file: file)
        #expect(try Self.read(body, cuts: Array(stride(from: 65_536, to: body.count, by: 65_536))).file == file)
    }

    @Test(arguments: [
        (#"filename="a; b=c.mp4""#, "a; b=c.mp4"),
        (#"filename="say \"hi\".mp4""#, #"say "hi".mp4"#),
        (#"filename="C:\clips\a.mp4""#, #"C:\clips\a.mp4"#),
        (#"filename="Ünïcødé 🎬.mp4""#, "Ünïcødé 🎬.mp4"),
        (#"filename=plain.mov"#, "plain.mov"),
        (#"filename="fallback.mp4"; filename*=UTF-8''%E2%82%AC%20rates.mp4"#, "€ rates.mp4"),
        (#"filename*=iso-8859-1'en'caf%E9.mp4"#, "café.mp4"),
        (#"filename="kept.mp4"; filename*=UTF-8''%FF.mp4"#, "kept.mp4"),
        (#"filename="""#, ""),
    ])
    func filenames(_ parameter: String, _ expected: String) throws {
        let body = "--b\r\ncontent-disposition: FORM-DATA ; name=\"file\" ; \(parameter)\r\n\r\nxyz\r\n--b--"
        #expect(try Self.read(body, boundary: "b") == Read(filename: expected, file: Array("xyz".utf8), fields: []))
    }

    @Test func aFilePartWithoutAFilenameIsCalledUpload() throws {
        #expect(try Self.read("--b\r\nContent-Disposition: form-data; name=file\r\n\r\n1\r\n--b--", boundary: "b").filename == "upload")
    }

    @Test func preambleEpilogueAndTransportPadding() throws {
        let body = "This is the preamble.\r\n--b \t\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n\r\n\r\n--b--  \r\nepilogue"
        #expect(try Self.read(body, boundary: "b") == Read(filename: "a", file: Array("\r\n".utf8), fields: []))
        // The first boundary may also follow an empty preamble line.
        #expect(try Self.read("\r\n--b\r\nContent-Disposition: form-data; name=file\r\n\r\n\r\n--b--", boundary: "b").file == [])
    }

    @Test func textFieldsAreKeptUpToTheLimit() throws {
        let field = String(repeating: "x", count: 2000)
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n\(field)\r\n--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n1\r\n--b--".utf8)
        let read = try Self.read(body, boundary: "b")
        #expect(read.fields == ["note=\(field)"])
        let tight = MultipartStream.Limits(headerBytes: 1024, otherBytes: 1500)
        #expect(throws: MultipartStream.Failure.tooMuchBesidesTheFile(limit: 1500)) { try Self.read(body, cuts: [100, 1000], boundary: "b", limits: tight) }
        // The file's bytes do not count.
        let big = Self.body(file: Array(repeating: 7, count: 10_000), boundary: "b")
        #expect(try Self.read(big, boundary: "b", limits: tight).file.count == 10_000)
    }

    @Test(arguments: [
        ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\nhalf a fi", "the upload ended before the file was complete"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\nall\r\n--b", "closing boundary"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\nall\r\n--b\r\n", "closing boundary"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"; filen", "closing boundary"),
        ("", "closing boundary"),
        ("no boundary anywhere", "closing boundary"),
        ("--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--b--\r\n", "no 'file' field"),
        ("--b--\r\n", "no 'file' field"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n2\r\n--b--", "one file per request"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"more\"; filename=\"x\"\r\n\r\n2\r\n--b--", "'more' carries a file"),
        ("--b\r\nÜ--b--\r\n", "header name is not ASCII"),
        ("--b\r\nX-Ü: 1\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n1\r\n--b--", "header name is not ASCII"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"\r\nX: a\u{0}b\r\n\r\n1\r\n--b--", "control character"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"\rX: 1\r\n\r\n1\r\n--b--", "bare CR"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"\nX: 1\r\n\r\n1\r\n--b--", "control character"),
        ("--b\r\n folded: x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n1\r\n--b--", "characters a name may not have"),
        ("--b\r\nno colon here\r\n\r\n1\r\n--b--", "no name"),
        ("--b\r\nContent-Type: video/mp4\r\n\r\n1\r\n--b--", "no 'Content-Disposition: form-data' header"),
        ("--b\r\nContent-Disposition: attachment; name=\"file\"\r\n\r\n1\r\n--b--", "no 'Content-Disposition: form-data' header"),
        ("--b\r\nContent-Disposition: form-data; filename=\"a.mp4\"\r\n\r\n1\r\n--b--", "no 'Content-Disposition: form-data' header"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"; name=\"other\"\r\n\r\n1\r\n--b--", "no 'Content-Disposition: form-data' header"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\r\n\r\n1\r\n--b--", "no 'Content-Disposition: form-data' header"),
        ("--b\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n1\r\n--b--", "two Content-Disposition"),
        ("--b\r\n\r\n1\r\n--b--", "no 'Content-Disposition: form-data' header"),
        ("--bX\r\n", "followed by unexpected bytes"),
        ("--b-x", "followed by unexpected bytes"),
        ("--b \rx", "followed by unexpected bytes"),
    ])
    func malformedBodiesAreRefusedWithTheReason(_ body: String, _ reason: String) {
        for cuts in [[], [5], Array(1..<max(1, body.utf8.count))] {
            #expect {
                try Self.read(body, cuts: cuts, boundary: "b")
            } throws: { error in
                guard case .malformed(let message) = error as? MultipartStream.Failure else { return false }
                return message.contains(reason)
            }
        }
    }

    @Test func headersThatAreNotUTF8AreRefused() {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"".utf8) + [0xC3, 0x28] + Array("\"\r\n\r\n1\r\n--b--".utf8)
        #expect(throws: MultipartStream.Failure.malformed("malformed multipart body: a part's header is not UTF-8")) { try Self.read(body, boundary: "b") }
    }

    @Test func longHeadersAreRefused() throws {
        let limits = MultipartStream.Limits(headerBytes: 1024, otherBytes: 1 << 20)
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"file\"\r\nX-Long: \(String(repeating: "a", count: 1100))\r\n\r\n1\r\n--b--".utf8)
        #expect(throws: MultipartStream.Failure.malformed("a multipart part's headers are longer than 1 KiB")) { try Self.read(body, cuts: [300], boundary: "b", limits: limits) }
        // Just under the limit is fine.
        let fits = Array("--b\r\nContent-Disposition: form-data; name=\"file\"\r\nX-Long: \(String(repeating: "a", count: 900))\r\n\r\n1\r\n--b--".utf8)
        #expect(try Self.read(fits, boundary: "b", limits: limits).file == [49])
    }

    @Test func unusableBoundaries() {
        #expect(MultipartStream(boundary: "") == nil)
        #expect(MultipartStream(boundary: String(repeating: "a", count: 71)) == nil)
        #expect(MultipartStream(boundary: "a\r\nb") == nil)
        #expect(MultipartStream(boundary: String(repeating: "a", count: 70)) != nil)
        #expect(UploadReceiver.multipartBoundary("multipart/form-data; boundary=\"quoted boundary\"") == "quoted boundary")
        #expect(UploadReceiver.multipartBoundary("Multipart/Form-Data;boundary=x") == "x")
        #expect(UploadReceiver.multipartBoundary("multipart/mixed; boundary=x") == nil)
        #expect(UploadReceiver.multipartBoundary("multipart/form-data") == nil)
    }
}

/// A seeded generator, so a failing chunking can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
