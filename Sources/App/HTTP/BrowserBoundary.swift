import Foundation
import HTTPTypes
import Hummingbird

/// Which origin browsers reach this server by, from `CUTROOM_PUBLIC_URL` or the bind address.
struct PublicOrigin: Sendable {
    /// Host names (no port) requests may name in `Host`; nil accepts any (bound to every
    /// interface with no public URL configured: the server cannot know its names).
    let allowedHosts: Set<String>?
    /// `scheme://host[:port]` of `CUTROOM_PUBLIC_URL`, when set.
    let origin: String?
    /// Whether the public URL is https (cookies are then `Secure`).
    let isSecure: Bool

    init(publicURL: URL?, bindHost: String) {
        if let publicURL, let host = publicURL.host?.lowercased() {
            allowedHosts = [host]
            let port = publicURL.port.map { ":\($0)" } ?? ""
            origin = "\(publicURL.scheme?.lowercased() ?? "http")://\(host)\(port)"
            isSecure = publicURL.scheme?.lowercased() == "https"
        } else {
            let bind = bindHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            allowedHosts = ["0.0.0.0", "::", ""].contains(bind) ? nil : [bind, "localhost", "127.0.0.1", "::1"]
            origin = nil
            isSecure = false
        }
    }

    /// The host name of a `Host` header value: `[::1]:8080` → `::1`, `Example.com:80` → `example.com`.
    static func hostName(_ header: String) -> String {
        let value = header.lowercased()
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            return String(value[value.index(after: value.startIndex)..<close])
        }
        return String(value.split(separator: ":", maxSplits: 1).first ?? "")
    }
}

/// The boundary between the server and browsers, on every response (API and static files):
/// - requests naming a host this server is not (`Host`) are refused: DNS rebinding cannot reach an
///   API bound to 127.0.0.1 through another name;
/// - state-changing requests sent by a page of another site (`Sec-Fetch-Site`, else `Origin`) are
///   refused: no cross-site request forgery, whatever the content type;
/// - security headers: a CSP with no inline script, no framing, no sniffing, no referrer leaks;
/// - the request id in `X-Request-Id` (the same id as in the error envelope and the log lines).
struct BrowserBoundaryMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let publicOrigin: PublicOrigin
    /// Extra sources the page may load pictures and media from (the S3 endpoint of presigned redirects).
    let mediaSources: [String]

    var contentSecurityPolicy: String {
        let media = (["'self'", "data:", "blob:"] + mediaSources).joined(separator: " ")
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src \(media); media-src \(media); "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            try check(request)
            response = try await next(request, context)
        } catch let error as APIError {
            // Refused before routing, so the API's error middleware never saw it.
            let body = ErrorEnvelope(error: .init(code: error.code, message: error.message, details: error.details), meta: APIResponse.meta(context))
            response = try APIResponse.encode(body, status: error.status, headers: error.headers)
        } catch let error as any HTTPResponseError {
            // Static files and unknown routes outside the API answer plainly, with the headers too.
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.requestId] = context.requestId
        return response
    }

    private func check(_ request: Request) throws {
        let host = request.head.authority
        if let allowed = publicOrigin.allowedHosts, let host, !allowed.contains(PublicOrigin.hostName(host)) {
            throw APIError(
                status: .misdirectedRequest, code: "WRONG_HOST",
                message: "this server does not answer to '\(PublicOrigin.hostName(host))'; set CUTROOM_PUBLIC_URL to the address browsers use")
        }
        guard ![.get, .head, .options].contains(request.method) else { return }
        if let site = request.headers[.secFetchSite]?.lowercased() {
            guard site == "same-origin" || site == "none" else { throw Self.crossSite }
            return
        }
        if let origin = request.headers[.origin]?.lowercased() {
            // The page's own origin: the public URL's, or the one the request names in `Host`
            // (already checked above), over http or https (a TLS proxy may sit in front).
            let own = [publicOrigin.origin] + (host.map { ["http://\($0.lowercased())", "https://\($0.lowercased())"] } ?? [])
            guard own.contains(origin) else { throw Self.crossSite }
        }
    }

    static let crossSite = APIError(status: .forbidden, code: "CROSS_SITE", message: "requests that change data must come from this server's own pages")
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let requestId = Self("X-Request-Id")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}

extension Request {
    /// A proxy in front says it terminated TLS. Only ever used to make things stricter (Secure
    /// cookies) or to write links, never to relax a check.
    var cameOverTLS: Bool {
        headers[.xForwardedProto]?.lowercased() == "https"
    }
}
