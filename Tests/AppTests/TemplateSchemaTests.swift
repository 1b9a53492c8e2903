import Foundation
import NIOCore
import Testing
import TimelineModel
import Store

@testable import App

/// Schema derivation, value checks, CSV reading and the ZIP framing, without a server.
@Suite("Template schema")
struct TemplateSchemaTests {
    static let document = #"""
    {"version": 1, "output": {"width": 320, "height": 240, "fps": 25}, "background": "{{BG}}",
     "merge": {"TITLE": "Hello", "SIZE": "40"},
     "tracks": [{"id": "t", "clips": [
       {"id": "logo", "asset": {"type": "image", "src": "{{LOGO}}"}, "start": 0, "length": 2},
       {"id": "song", "asset": {"type": "audio", "src": "{{SONG}}"}, "start": 0, "length": 2},
       {"id": "title", "asset": {"type": "text", "text": "{{TITLE}} and {{NAME}}", "font": {"size": "{{SIZE}}", "color": "{{INK}}", "src": "{{FONT}}"}}, "start": 2, "length": 1}
     ]}]}
    """#

    static func fields() throws -> [TemplateField] {
        let derived = TemplateSchema.derive(try JSONParser.parse(Data(document.utf8)))
        #expect(derived.problems.isEmpty)
        return derived.fields
    }

    @Test func typesComeFromWhereThePlaceholderStands() throws {
        let fields = try Self.fields()
        let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
        #expect(fields.map(\.name) == ["BG", "LOGO", "SONG", "TITLE", "NAME", "SIZE", "INK", "FONT"])
        #expect(byName["BG"]?.type == .color)
        #expect(byName["INK"]?.type == .color)
        #expect(byName["LOGO"]?.type == .asset && byName["LOGO"]?.kind == .image)
        #expect(byName["SONG"]?.type == .asset && byName["SONG"]?.kind == .audio)
        #expect(byName["FONT"]?.type == .asset && byName["FONT"]?.kind == .font)
        #expect(byName["TITLE"]?.type == .text && byName["TITLE"]?.default == .string("Hello") && byName["TITLE"]?.required == false)
        #expect(byName["NAME"]?.type == .text && byName["NAME"]?.required == true)
        #expect(byName["SIZE"]?.type == .number && byName["SIZE"]?.default == .number(40))
        #expect(byName["TITLE"]?.usedAt == ["/tracks/0/clips/2/asset/text"])
        #expect(byName["SIZE"]?.usedAt == ["/tracks/0/clips/2/asset/font/size"])
    }

    @Test func oneNameForTwoKindsOfThingIsAConflict() throws {
        let text = #"{"background": "{{X}}", "tracks": [{"id": "t", "clips": [{"id": "a", "asset": {"type": "image", "src": "{{X}}"}, "start": 0, "length": 1}]}]}"#
        let derived = TemplateSchema.derive(try JSONParser.parse(Data(text.utf8)))
        #expect(derived.fields.isEmpty)
        #expect(derived.problems.map(\.path) == ["/tracks/0/clips/0/asset/src"])
        // Text beside a colour is still a colour (a colour is valid text).
        let mixed = #"{"background": "{{X}}", "tracks": [{"id": "t", "clips": [{"id": "a", "asset": {"type": "text", "text": "{{X}}!"}, "start": 0, "length": 1}]}]}"#
        let both = TemplateSchema.derive(try JSONParser.parse(Data(mixed.utf8)))
        #expect(both.problems.isEmpty && both.fields.map(\.type) == [.color])
    }

    @Test func fillingPutsNumbersAsNumbersAndKeepsMergeAsIs() throws {
        let root = try JSONParser.parse(Data(Self.document.utf8))
        let fields = Dictionary(uniqueKeysWithValues: try Self.fields().map { ($0.name, $0) })
        let values = ["BG": "#112233", "LOGO": "asset:L", "SONG": "asset:S", "TITLE": "Hi \"you\"\n", "NAME": "Ann", "SIZE": "52.5", "INK": "#FFFFFF", "FONT": "asset:F"]
        let filled = try JSONSerialization.jsonObject(with: TemplateSchema.serialize(TemplateSchema.fill(root, fields: fields, values: values))) as? [String: Any]
        let clips = ((filled?["tracks"] as? [[String: Any]])?[0]["clips"] as? [[String: Any]]) ?? []
        let font = (clips[2]["asset"] as? [String: Any])?["font"] as? [String: Any]
        #expect(font?["size"] as? Double == 52.5)
        #expect(font?["color"] as? String == "#FFFFFF")
        #expect((clips[2]["asset"] as? [String: Any])?["text"] as? String == "Hi \"you\"\n and Ann")
        #expect(filled?["background"] as? String == "#112233")
        #expect((filled?["merge"] as? [String: String])?["TITLE"] == "Hello")
    }

    @Test func everyTypeAndRuleIsChecked() throws {
        let fields = [
            TemplateField(name: "T", type: .text, required: true, maxLength: 5, pattern: "[A-Z][a-z]*", usedAt: []),
            TemplateField(name: "OPT", type: .text, required: false, usedAt: []),
            TemplateField(name: "C", type: .color, default: .string("#000000"), required: false, usedAt: []),
            TemplateField(name: "N", type: .number, required: true, min: 1, max: 10, usedAt: []),
            TemplateField(name: "IMG", type: .asset, kind: .image, required: true, usedAt: []),
        ]
        let checker = TemplateValues(fields: fields, assetKinds: ["IMAGE1": .image, "CLIP1": .video])
        let good = checker.check(["T": .string("Abc"), "N": .string("2.5"), "IMG": .string("IMAGE1")], prefix: "/values")
        #expect(good.problems.isEmpty)
        #expect(good.values == ["T": "Abc", "OPT": "", "C": "#000000", "N": "2.5", "IMG": "asset:IMAGE1"])
        let cases: [([String: TemplateValue], String, String)] = [
            (["N": .number(2), "IMG": .string("IMAGE1")], "/values/T", "is required"),
            (["T": .string("Abcdef"), "N": .number(2), "IMG": .string("IMAGE1")], "/values/T", "longer than 5"),
            (["T": .string("abc"), "N": .number(2), "IMG": .string("IMAGE1")], "/values/T", "pattern"),
            (["T": .string("Abc"), "C": .string("red"), "N": .number(2), "IMG": .string("IMAGE1")], "/values/C", "colour"),
            (["T": .string("Abc"), "C": .string("#12345"), "N": .number(2), "IMG": .string("IMAGE1")], "/values/C", "colour"),
            (["T": .string("Abc"), "N": .string("ten"), "IMG": .string("IMAGE1")], "/values/N", "must be a number"),
            (["T": .string("Abc"), "N": .number(0.5), "IMG": .string("IMAGE1")], "/values/N", "at least 1"),
            (["T": .string("Abc"), "N": .number(11), "IMG": .string("IMAGE1")], "/values/N", "at most 10"),
            (["T": .string("Abc"), "N": .number(2), "IMG": .string("CLIP1")], "/values/IMG", "is a video, not a image"),
            (["T": .string("Abc"), "N": .number(2), "IMG": .string("asset:NOPE")], "/values/IMG", "no image asset"),
            (["T": .string("Abc"), "N": .number(2), "IMG": .number(3)], "/values/IMG", "asset id"),
            (["T": .string("Abc"), "N": .number(2), "IMG": .string("IMAGE1"), "TITEL": .string("x")], "/values/TITEL", "no field is named"),
        ]
        for (values, path, message) in cases {
            let problems = checker.check(values, prefix: "/values").problems
            #expect(problems.count == 1, "\(values)")
            #expect(problems.first?.path == path, "\(values)")
            #expect(problems.first?.message.contains(message) == true, "\(problems)")
        }
        // Every problem of a row at once, under the row's pointer.
        let all = checker.check(["T": .string("toolong"), "C": .string("x"), "N": .string("x")], prefix: "/rows/3")
        #expect(Set(all.problems.map(\.path)) == ["/rows/3/T", "/rows/3/C", "/rows/3/N", "/rows/3/IMG"])
    }

    @Test func csvQuotingBOMAndLineEnds() throws {
        let text = "\u{FEFF}TITLE,NOTE\r\n\"Hello, world\",\"She said \"\"hi\"\"\"\r\nplain,\"two\r\nlines\"\r\nlast,\n"
        let table = try CSVTable.parse(Data(text.utf8))
        #expect(table.header == ["TITLE", "NOTE"])
        #expect(table.rows.count == 3)
        #expect(table.rows[0] == ["TITLE": .string("Hello, world"), "NOTE": .string("She said \"hi\"")])
        #expect(table.rows[1] == ["TITLE": .string("plain"), "NOTE": .string("two\r\nlines")])
        // An empty cell is left out: the field's default applies.
        #expect(table.rows[2] == ["TITLE": .string("last")])
    }

    @Test func csvWrongColumnCountsAreReportedPerRow() throws {
        let text = "A,B\n1,2\n1\n1,2,3\n\"x\"y,2\n\"open,2\n"
        // Shape problems come back per row (for the values checks to join), the cells a row has kept.
        let table = try CSVTable.parse(Data(text.utf8))
        #expect(table.problems.keys.sorted() == [1, 2, 3, 4])
        #expect(table.problems[1]?.map(\.message) == ["line 3 has 1 value; the header has 2 columns (no cell for B)"])
        #expect(table.problems[2]?.map(\.message) == ["line 4 has 3 values; the header has 2 columns (no column for cell 3 '3')"])
        #expect(table.problems.values.allSatisfy { $0.allSatisfy { $0.path.isEmpty } })
        #expect(table.rows[1] == ["A": .string("1")])
        #expect(table.rows[2] == ["A": .string("1"), "B": .string("2")])
        // A broken header refuses at once, listing the rows' shape problems as well.
        #expect {
            try CSVTable.parse(Data("A,A\n1,2\n1\n".utf8))
        } throws: { error in
            (error as? APIError)?.details.map(\.path) == ["/header/1", "/rows/1"]
        }
        #expect(throws: APIError.self) { try CSVTable.parse(Data("A,A\n1,2\n".utf8)) }
        #expect(throws: APIError.self) { try CSVTable.parse(Data("".utf8)) }
        #expect(throws: APIError.self) { try CSVTable.parse(Data([0x41, 0x0A, 0xFF, 0xFE])) }
    }

    @Test func csvOfTenThousandRows() throws {
        var text = "TITLE,N\r\n"
        for index in 0..<10_000 { text += "\"Row \(index), quoted\",\(index)\r\n" }
        let table = try CSVTable.parse(Data(text.utf8))
        #expect(table.rows.count == 10_000)
        #expect(table.rows[9_999] == ["TITLE": .string("Row 9999, quoted"), "N": .string("9999")])
    }

    @Test func archiveNamesAreSafeAndUnique() {
        var names = ArchiveNames()
        #expect(names.unique("../etc/passwd", fallback: "r1", ext: "mp4") == "_etc_passwd.mp4")
        #expect(names.unique("Ann", fallback: "r2", ext: "mp4") == "Ann.mp4")
        #expect(names.unique("ann", fallback: "r3", ext: "mp4") == "ann (2).mp4")
        #expect(names.unique("  ", fallback: "render-4", ext: "mp4") == "render-4.mp4")
        #expect(names.unique("a\u{0}b\nc", fallback: "r5", ext: "mp4") == "abc.mp4")
    }

    @Test func crc32MatchesTheKnownValue() {
        var crc = CRC32()
        Data("123456789".utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == 0xCBF4_3926)
        var split = CRC32()
        let bytes = Data((0..<1000).map { UInt8($0 % 251) })
        bytes.prefix(333).withUnsafeBytes { split.update($0) }
        bytes.dropFirst(333).withUnsafeBytes { split.update($0) }
        var whole = CRC32()
        bytes.withUnsafeBytes { whole.update($0) }
        #expect(split.value == whole.value)
    }

    /// The framing, with and without ZIP64 records, opened by Python's `zipfile`.
    @Test(arguments: [false, true]) func zipFramingOpensInPython(_ zip64: Bool) throws {
        var zip = ZipStream()
        zip.forceZip64 = zip64
        var out = ByteBuffer()
        let files: [(String, Data)] = [("a.mp4", Data(repeating: 7, count: 100_000)), ("ü b.mp4", Data("hello".utf8)), ("empty.mp4", Data())]
        for (name, data) in files {
            out.writeImmutableBuffer(zip.begin(name: name, size: UInt64(data.count)))
            var crc = CRC32()
            data.withUnsafeBytes { crc.update($0) }
            out.writeBytes(data)
            zip.wrote(data.count)
            out.writeImmutableBuffer(zip.end(crc: crc.value, size: UInt64(data.count)))
        }
        out.writeImmutableBuffer(zip.finish())
        #expect(zip.offset == UInt64(out.readableBytes))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(buffer: out).write(to: file)
        let report = try ZipCheck.run(file)
        #expect(report.bad == nil)
        #expect(report.entries.map(\.name) == files.map(\.0))
        #expect(report.entries.map(\.size) == files.map(\.1.count))
    }
}

/// Python's `zipfile` opinion of an archive: `testzip()` (every CRC checked) and the entries.
enum ZipCheck {
    struct Report {
        var bad: String?
        var entries: [(name: String, size: Int)]
    }

    static func run(_ file: URL) throws -> Report {
        let script = """
        import json, sys, zipfile
        with zipfile.ZipFile(sys.argv[1]) as z:
            print(json.dumps({"bad": z.testzip(), "entries": [[i.filename, i.file_size] for i in z.infolist()]}))
        """
        let data = try Fixtures.output("/usr/bin/python3", ["-c", script, file.path])
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let entries = (json?["entries"] as? [[Any]] ?? []).map { (name: $0[0] as? String ?? "", size: ($0[1] as? NSNumber)?.intValue ?? -1) }
        return Report(bad: json?["bad"] as? String, entries: entries)
    }
}
