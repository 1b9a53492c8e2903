import Hummingbird

/// `GET /openapi.yaml` and `/openapi.json`: the API description (openapi.yaml at the top of the
/// repository, embedded in the binary by scripts/openapi.py), public like the web UI itself.
struct DocsController {
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("openapi.yaml") { _, _ in Self.document(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8") }
        group.get("openapi.json") { _, _ in Self.document(OpenAPIDocument.json, contentType: "application/json; charset=utf-8") }
    }

    private static func document(_ text: String, contentType: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: contentType, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
