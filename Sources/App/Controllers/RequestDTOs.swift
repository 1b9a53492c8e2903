import Foundation

/// `POST /projects` and `PATCH /projects/{id}`: `{name}`.
struct ProjectRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case name }
    typealias Keys = CodingKeys
    var name: String

    /// The name, trimmed and checked.
    func validName() throws -> String {
        try ProjectController.validName(JSONBody.bounded(name, "name", maxLength: 200))
    }
}

/// `POST /projects/{id}/timelines` and `PUT /timelines/{id}`: `{name?, document}`.
struct TimelineRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, document }
    typealias Keys = CodingKeys
    static let documentKeys: Set<String> = ["document"]
    var name: String?
    var document: RawJSON

    /// The name when one was sent, trimmed and checked.
    func validName() throws -> String? {
        try JSONBody.bounded(name, "name", maxLength: 200).map(ProjectController.validName)
    }
}

/// `POST /timelines/frame`: `{document, t?, width?}`, a document being edited.
struct FrameRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case document, t, width }
    typealias Keys = CodingKeys
    static let documentKeys: Set<String> = ["document"]
    var document: RawJSON
    var t: Double?
    var width: Double?
}

/// `POST /renders`: `{timelineId}` or `{timeline}`, with optional `projectId`, `merge`, `webhookUrl`.
struct RenderRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case webhookUrl, merge, projectId, timelineId, timeline }
    typealias Keys = CodingKeys
    static let documentKeys: Set<String> = ["timeline"]
    var webhookUrl: String?
    var merge: [String: String]?
    var projectId: String?
    var timelineId: String?
    var timeline: RawJSON?
}
