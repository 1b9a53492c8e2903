import Foundation
import Hummingbird
import Store

/// `meta` on every response.
struct ResponseMeta: Encodable {
    var requestId: String
    var timestamp: String
}

/// `pagination` on list responses.
struct Pagination: Encodable {
    var page: Int
    var limit: Int
    var total: Int
    var totalPages: Int
}

/// `{"data": ..., "meta": ...}` (plus `pagination` for lists).
struct Envelope<Data: Encodable>: Encodable {
    var data: Data
    var meta: ResponseMeta
    var pagination: Pagination?
}

enum APIResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(APIResponse.timestamp(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// ISO-8601 with milliseconds, UTC.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    static func meta(_ context: AppRequestContext) -> ResponseMeta {
        ResponseMeta(requestId: context.requestId, timestamp: timestamp(Date()))
    }

    /// Encodes `data` in the success envelope.
    static func json<T: Encodable>(
        _ data: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], context: AppRequestContext
    ) throws -> Response {
        try encode(Envelope(data: data, meta: meta(context), pagination: nil), status: status, headers: headers)
    }

    /// Encodes one page of a list in the success envelope with `pagination`.
    static func page<Record, T: Encodable>(
        _ page: Page<Record>, context: AppRequestContext, transform: (Record) throws -> T
    ) throws -> Response {
        let items = try page.items.map(transform)
        let pagination = Pagination(page: page.page, limit: page.limit, total: page.total, totalPages: page.totalPages)
        return try encode(Envelope(data: items, meta: meta(context), pagination: pagination), status: .ok, headers: [:])
    }

    static func encode<T: Encodable>(_ value: T, status: HTTPResponse.Status, headers: HTTPFields) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try encoder.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension JSONDecoder {
    /// Reads what `APIResponse.encoder` wrote (ISO-8601 dates with milliseconds).
    static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = try? Date(text, strategy: .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO-8601 date: \(text)"))
            }
            return date
        }
        return decoder
    }()
}
