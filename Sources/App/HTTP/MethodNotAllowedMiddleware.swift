import Hummingbird

/// A path the API has, asked with a method it does not have, is a 405 naming the methods it has
/// (`Allow`) rather than the router's 404: the client's mistake is the method, not the address.
/// Added last to the router, so it only ever sees requests no route matched.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Path templates split into segments (`{name}` matches any one segment), with their methods.
    private let templates: [(segments: [Substring], methods: [String])]

    /// `routes`: `(method, path template)` of every route; catch-alls (`**`) are left out.
    init(routes: [(method: String, path: String)]) {
        var byPath: [String: Set<String>] = [:]
        for route in routes where !route.path.contains("*") {
            byPath[route.path, default: []].insert(route.method)
        }
        templates = byPath.map { path, methods in
            (path.split(separator: "/"), methods.sorted())
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/")
            // The router takes a literal segment over a parameter (`/timelines/frame` is not
            // `/timelines/{timelineId}`): the path's own route is the most literal one that matches.
            let matching = templates.filter { Self.matches($0.segments, segments) }
            guard let route = matching.max(by: { Self.literals($0.segments).lexicographicallyPrecedes(Self.literals($1.segments)) }),
                  !route.methods.contains(request.method.rawValue)
            else { throw error }
            let allowed = route.methods
            let list = allowed.joined(separator: ", ")
            throw APIError(
                status: .methodNotAllowed, code: "METHOD_NOT_ALLOWED",
                message: "\(request.method.rawValue) is not a method of \(request.uri.path); it takes \(list)",
                headers: [.allow: list])
        }
    }

    /// 1 for each literal segment, 0 for each parameter, in order.
    private static func literals(_ template: [Substring]) -> [Int] {
        template.map { $0.hasPrefix("{") ? 0 : 1 }
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        template.count == path.count && zip(template, path).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
