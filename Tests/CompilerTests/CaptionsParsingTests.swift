import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

@Suite("Captions parsing")
struct CaptionsParsingTests {
    func parse(_ text: String) throws -> [Captions.Cue] {
        try Captions.parse(Data(text.utf8)).cues
    }

    /// The line and message of the parse error `text` raises.
    func failure(_ text: String) -> (line: Int, reason: String)? {
        failure(Data(text.utf8))
    }

    func failure(_ data: Data) -> (line: Int, reason: String)? {
        do {
            _ = try Captions.parse(data)
            return nil
        } catch .invalidCaptions(let line, let reason) {
            return (line, reason)
        } catch {
            return (-1, error.description)
        }
    }

    @Test("SRT: numbers, CRLF, BOM, multi-line text, tags stripped, entities decoded")
    func srt() throws {
        let text = "\u{FEFF}1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> &amp; <b>welcome</b>\r\n{\\an8}<font color=\"#ff0\">second</font> line\r\n\r\n"
            + "2\r\n00:00:03,250 --> 00:00:04,000 X1:10 X2:20\r\nTom &lt;3 Jerry&nbsp;&gt; &amp;lt; &unknown;\r\n"
        let cues = try parse(text)
        #expect(cues == [
            Captions.Cue(start: 1, end: 2.5, text: "Hello & welcome\nsecond line"),
            Captions.Cue(start: 3.25, end: 4, text: "Tom <3 Jerry\u{00A0}> &lt; &unknown;"),
        ])
    }

    @Test("SRT with bare CR line ends, no trailing blank line, and a cue without its number")
    func srtOddities() throws {
        let cues = try parse("1\r00:00:00,500 --> 00:00:01,000\rA\r\r00:00:02,000 --> 00:00:03,000\rB")
        #expect(cues.map(\.text) == ["A", "B"])
        #expect(cues.map(\.start) == [0.5, 2])
    }

    @Test("WebVTT: header text, NOTE, STYLE and REGION blocks, identifiers, cue settings, MM:SS times, voice and class tags")
    func webvtt() throws {
        let text = """
            WEBVTT - a title
            Kind: captions

            STYLE
            ::cue { color: yellow }

            NOTE this is a comment
            spanning lines

            REGION
            id:fred width:40%

            intro
            00:01.000 --> 00:02.000 align:start line:0%
            <v Roger>Hi</v> <c.loud>there</c>

            01:00:00.000 --> 01:00:01.5
            <00:00:00.500>Late
            """
        let cues = try parse(text)
        #expect(cues == [
            Captions.Cue(start: 1, end: 2, text: "Hi there"),
            Captions.Cue(start: 3600, end: 3601.5, text: "Late"),
        ])
    }

    @Test("overlapping cues are kept and ordered by start; empty and zero-length cues are dropped")
    func ordering() throws {
        let cues = try parse("""
            1
            00:00:05,000 --> 00:00:07,000
            late

            2
            00:00:01,000 --> 00:00:06,000
            early

            3
            00:00:02,000 --> 00:00:02,000
            zero

            4
            00:00:03,000 --> 00:00:04,000
            <i></i>
            """)
        #expect(cues.map(\.text) == ["early", "late"])
    }

    @Test("malformed files fail with the line and a clear reason", arguments: [
        ("1\n00:00:01,000 -> 00:00:02,000\nA\n", 2, "expected a cue timing"),
        ("1\n00:00:01,000 --> 00:00:02,000\nA\n\nB\n", 5, "expected a cue timing"),
        ("1\n-00:00:01,000 --> 00:00:02,000\nA\n", 2, "is not a cue time"),
        ("1\n00:00:03,000 --> 00:00:02,000\nA\n", 2, "ends (00:00:02,000) before it starts"),
        ("1\n00:61:00,000 --> 00:62:00,000\nA\n", 2, "below 60"),
        ("1\n99999999999999999999:00:00,000 --> 99999999999999999999:00:01,000\nA\n", 2, "too large"),
        ("1\n999999:00:00,000 --> 999999:00:01,000\nA\n", 2, "beyond 24 hours"),
        ("1\n00:00:01,0000 --> 00:00:02,000\nA\n", 2, "milliseconds"),
        ("1\n00:00:01,000 --> \nA\n", 2, "is not a cue time"),
        ("WEBVTTX\n\n00:01.000 --> 00:02.000\nA\n", 1, "starts with a line 'WEBVTT'"),
        ("WEBVTT\n\nid\nnot a timing\n", 4, "expected a cue timing"),
    ])
    func malformed(text: String, line: Int, reason: String) throws {
        let error = try #require(failure(text))
        #expect(error.line == line, "\(error)")
        #expect(error.reason.contains(reason), "\(error.reason)")
    }

    @Test("binary garbage, NUL bytes and non-UTF-8 text are refused, never crash")
    func garbage() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let bytes = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(failure(bytes) != nil)
        }
        #expect(failure(Data([0x31, 0x0A, 0xFF, 0xFE, 0x0A]))?.reason.contains("not UTF-8") == true)
        #expect(failure("1\n00:00:01,000 --> 00:00:02,000\nA\u{0}B\n")?.reason.contains("NUL") == true)
        #expect(try parse("").isEmpty)
        #expect(try parse("WEBVTT\n").isEmpty)
    }

    @Test("a 10 MB file parses whole; a file over the limit is refused")
    func large() throws {
        var text = ""
        var index = 0
        while text.utf8.count < 10_000_000 {
            let start = index * 500
            text += "\(index + 1)\n\(stamp(start)) --> \(stamp(start + 400))\nCue number \(index) with <i>some</i> text &amp; more text here\nand a second line\n\n"
            index += 1
        }
        let clock = ContinuousClock()
        var cues: [Captions.Cue] = []
        let elapsed = try clock.measure { cues = try Captions.parse(Data(text.utf8)).cues }
        #expect(cues.count == index)
        #expect(cues.last?.text.hasPrefix("Cue number \(index - 1) with some text & more") == true)
        // Timing is for bench/, not an assertion: a loaded CI machine took 39 s in a debug build.
        print("parsed \(text.utf8.count) bytes, \(cues.count) cues in \(elapsed)")
        #expect(failure(Data(count: Captions.maxBytes + 1))?.reason.contains("larger than") == true)
    }

    private func stamp(_ milliseconds: Int) -> String {
        let seconds = milliseconds / 1000
        return String(format: "%02d:%02d:%02d,%03d", seconds / 3600, seconds / 60 % 60, seconds % 60, milliseconds % 1000)
    }

    @Test("files are recognised as captions by their first bytes")
    func sniffing() {
        #expect(Captions.looksLikeCaptions(Data("\u{FEFF}WEBVTT\n\n".utf8)))
        #expect(Captions.looksLikeCaptions(Data("1\r\n00:00:01,000 --> 00:00:02,000\r\nA".utf8)))
        #expect(!Captions.looksLikeCaptions(Data("These are not the frames\nyou are looking for".utf8)))
        #expect(!Captions.looksLikeCaptions(Data([0, 1, 0, 0, 0x10])))
    }
}
