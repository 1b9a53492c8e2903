import Foundation

/// A CSV upload read as RFC 4180: comma-separated, quoted fields with `""` for a quote (quoted
/// fields may hold commas and line breaks), CRLF or LF line ends, an optional UTF-8 BOM. The first
/// record names the columns. Every bad record is reported (`/rows/N`, N counting data rows from 0,
/// with its line number), not only the first; a record with too few or too many cells keeps the
/// cells it has under their columns, so its values are checked too (one 422 lists everything).
struct CSVTable {
    var header: [String]
    /// One dictionary per data row; empty cells are left out (the field's default applies).
    var rows: [[String: TemplateValue]]
    /// Problems of each record's shape, by row, at `""` (the row): missing or extra cells, bad quoting.
    var problems: [Int: [APIError.Detail]] = [:]

    static func parse(_ data: Data) throws -> CSVTable {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard String(bytes: bytes, encoding: .utf8) != nil else {
            throw APIError.invalid("the CSV is not UTF-8 text", details: [.init(path: "", message: "save the file as UTF-8")])
        }
        var records: [(line: Int, fields: [String])] = []
        var problems: [APIError.Detail] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() {
            endField()
            // A blank line (one empty field) is not a record.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        var brokenLines: Set<Int> = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case 0x0D where index < bytes.count && bytes[index] == 0x0A:
                break
            case 0x0A, 0x0D:
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\"") where field.isEmpty && !afterQuote:
                quoted = true
            default:
                if afterQuote || byte == UInt8(ascii: "\"") { brokenLines.insert(recordLine) }
                field.append(byte)
            }
        }
        if quoted { brokenLines.insert(recordLine) }
        if !fields.isEmpty || !field.isEmpty || afterQuote { endRecord() }

        guard let first = records.first else {
            throw APIError.invalid("the CSV is empty", details: [.init(path: "", message: "the first line must name the fields")])
        }
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: Set<String> = []
        for (column, name) in header.enumerated() {
            if name.isEmpty { problems.append(.init(path: "/header/\(column)", message: "column \(column + 1) has no name")) }
            else if !seen.insert(name).inserted { problems.append(.init(path: "/header/\(column)", message: "column '\(name)' appears twice")) }
        }
        if brokenLines.contains(first.line) { problems.append(.init(path: "/header", message: "line \(first.line): a quote inside an unquoted field, or text after a closing quote")) }
        var rows: [[String: TemplateValue]] = []
        var rowProblems: [Int: [APIError.Detail]] = [:]
        rows.reserveCapacity(records.count - 1)
        for (number, record) in records.dropFirst().enumerated() {
            if brokenLines.contains(record.line) {
                rowProblems[number, default: []].append(.init(path: "", message: "line \(record.line): a quote inside an unquoted field, text after a closing quote, or a quote never closed"))
            }
            let count = record.fields.count
            if count < header.count {
                let missing = header[count...].joined(separator: ", ")
                rowProblems[number, default: []].append(.init(path: "", message: "line \(record.line) has \(count) value\(count == 1 ? "" : "s"); the header has \(header.count) columns (no cell for \(missing))"))
            } else if count > header.count {
                let extra = record.fields[header.count...].enumerated().map { offset, cell in
                    "cell \(header.count + offset + 1) \(Self.quote(cell))"
                }.joined(separator: ", ")
                rowProblems[number, default: []].append(.init(path: "", message: "line \(record.line) has \(count) values; the header has \(header.count) columns (no column for \(extra))"))
            }
            var row: [String: TemplateValue] = [:]
            for (name, value) in zip(header, record.fields) where !value.isEmpty { row[name] = .string(value) }
            rows.append(row)
        }
        if rows.isEmpty { problems.append(.init(path: "/rows", message: "the CSV has a header but no rows")) }
        // A broken header leaves no values to check: its problems and every record's shape.
        guard problems.isEmpty else {
            problems += rowProblems.keys.sorted().flatMap { row in rowProblems[row]!.map { APIError.Detail(path: "/rows/\(row)", message: $0.message) } }
            throw APIError.invalid("the CSV has \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was queued", details: problems)
        }
        return CSVTable(header: header, rows: rows, problems: rowProblems)
    }

    /// A cell shown in a message: quoted, at most 40 characters.
    static func quote(_ cell: String) -> String {
        let short = cell.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(cell.unicodeScalars.prefix(40))) + "…" : cell
        return "'" + short + "'"
    }
}
