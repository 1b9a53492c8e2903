import Foundation

/// A CSV upload read as RFC 4180: comma-separated, quoted fields with `""` for a quote (quoted
/// fields may hold commas and line breaks), CRLF or LF line ends, an optional UTF-8 BOM. The first
/// record names the columns. Every bad record is reported (`/rows/N`, N counting data rows from 0,
/// with its line number), not only the first.
struct CSVTable {
    var header: [String]
    /// One dictionary per data row; empty cells are left out (the field's default applies).
    var rows: [[String: TemplateValue]]

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
        rows.reserveCapacity(records.count - 1)
        for (number, record) in records.dropFirst().enumerated() {
            if brokenLines.contains(record.line) {
                problems.append(.init(path: "/rows/\(number)", message: "line \(record.line): a quote inside an unquoted field, text after a closing quote, or a quote never closed"))
            }
            if record.fields.count != header.count {
                problems.append(.init(path: "/rows/\(number)", message: "line \(record.line) has \(record.fields.count) value\(record.fields.count == 1 ? "" : "s"); the header has \(header.count) columns"))
                rows.append([:])
                continue
            }
            var row: [String: TemplateValue] = [:]
            for (name, value) in zip(header, record.fields) where !value.isEmpty { row[name] = .string(value) }
            rows.append(row)
        }
        if rows.isEmpty, problems.isEmpty { problems.append(.init(path: "/rows", message: "the CSV has a header but no rows")) }
        guard problems.isEmpty else {
            throw APIError.invalid("the CSV has \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was queued", details: problems)
        }
        return CSVTable(header: header, rows: rows)
    }
}
