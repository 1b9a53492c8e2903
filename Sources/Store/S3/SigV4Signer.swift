import Crypto
import Foundation

/// AWS access keys: the id, the secret, and the session token of temporary credentials.
public struct AWSCredentials: Sendable, Equatable {
    /// `AWS_ACCESS_KEY_ID`.
    public var accessKeyId: String
    /// `AWS_SECRET_ACCESS_KEY`.
    public var secretAccessKey: String
    /// `AWS_SESSION_TOKEN`, for temporary credentials.
    public var sessionToken: String?

    /// Keys as AWS hands them out; `sessionToken` only for temporary (STS) credentials.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// AWS Signature Version 4 (HMAC-SHA256) for one region and service, written against the
/// published rules: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
/// and checked against the AWS test-suite vectors. A pure function of its inputs (the date is a
/// parameter), so it is tested without a network.
public struct SigV4Signer: Sendable {
    /// One request to sign. `path` is the already-encoded request path (`/bucket/key`), sent as is.
    public struct Request: Sendable {
        /// `GET`, `PUT`...
        public var method: String
        /// The encoded path, the canonical URI as is.
        public var path: String
        /// Decoded query parameters; encoded and sorted by the signer.
        public var query: [(name: String, value: String)]
        /// Headers to sign, `host` included; names in any case.
        public var headers: [(name: String, value: String)]
        /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
        public var payloadHash: String

        /// A request with the given parts.
        public init(method: String, path: String, query: [(name: String, value: String)] = [],
                    headers: [(name: String, value: String)], payloadHash: String) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// What signing produced; the intermediate strings are kept because a server only ever
    /// answers "SignatureDoesNotMatch", and these are what one compares.
    public struct Signature: Sendable {
        /// Method, URI, query, headers, signed-header list and payload hash, one per line.
        public var canonicalRequest: String
        /// Algorithm, date, scope and the canonical request's hash.
        public var stringToSign: String
        /// `host;x-amz-date`...
        public var signedHeaders: String
        /// Lower-case hex HMAC of the string to sign.
        public var signature: String
        /// The `Authorization` header value.
        public var authorization: String
    }

    /// The only algorithm: `AWS4-HMAC-SHA256`.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// SHA-256 of the empty string.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The keys that sign.
    public let credentials: AWSCredentials
    /// The region of the credential scope.
    public let region: String
    /// The service of the credential scope (`s3`).
    public let service: String

    /// A signer for `service` (`s3`) in `region`.
    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs `request` at `date`: the `Authorization` header value and its parts. The caller must
    /// also send `x-amz-date` (and the session token, when there is one) as signed headers:
    /// `signedRequestHeaders` adds them.
    public func sign(_ request: Request, date: Date) -> Signature {
        let (amzDate, day) = Self.timestamps(date)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let canonicalRequest = [
            request.method.uppercased(),
            request.path.isEmpty ? "/" : request.path,
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")
        let stringToSign = [Self.algorithm, amzDate, scope, Self.sha256Hex(Data(canonicalRequest.utf8))].joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day)))
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders,
                         signature: signature, authorization: authorization)
    }

    /// `headers` plus `x-amz-date`, `x-amz-content-sha256`, the session token and `Authorization`:
    /// everything to send for a header-signed S3 request.
    public func signedRequestHeaders(_ request: Request, date: Date) -> [(name: String, value: String)] {
        var request = request
        request.headers.append(("x-amz-date", Self.timestamps(date).amzDate))
        request.headers.append(("x-amz-content-sha256", request.payloadHash))
        if let token = credentials.sessionToken { request.headers.append(("x-amz-security-token", token)) }
        let signature = sign(request, date: date)
        return request.headers + [("Authorization", signature.authorization)]
    }

    /// A query-string-signed URL (`X-Amz-Signature=`) for `method` on `scheme://host/path`, valid
    /// for `expires` seconds from `date` (S3 allows 1 second to 7 days). Only `host` is signed, so
    /// any client may use it; the body is `UNSIGNED-PAYLOAD`.
    public func presignedURL(method: String, scheme: String, host: String, path: String,
                             query: [(name: String, value: String)] = [], expires: Int, date: Date) -> String {
        let (amzDate, day) = Self.timestamps(date)
        var parameters = query
        parameters.append(("X-Amz-Algorithm", Self.algorithm))
        parameters.append(("X-Amz-Credential", "\(credentials.accessKeyId)/\(day)/\(region)/\(service)/aws4_request"))
        parameters.append(("X-Amz-Date", amzDate))
        parameters.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        parameters.append(("X-Amz-SignedHeaders", "host"))
        let signature = sign(Request(method: method, path: path, query: parameters, headers: [("host", host)],
                                     payloadHash: "UNSIGNED-PAYLOAD"), date: date)
        // The signature goes last, as AWS's own URLs have it.
        return "\(scheme)://\(host)\(path)?\(Self.canonicalQuery(parameters))&X-Amz-Signature=\(signature.signature)"
    }

    // MARK: - Parts

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// `20150830T123600Z` and `20150830`, in UTC.
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let day = "\(c.year ?? 1970)\(two(c.month))\(two(c.day))"
        return ("\(day)T\(two(c.hour))\(two(c.minute))\(two(c.second))Z", day)
    }

    /// Lower-case names, values trimmed with inner runs of spaces collapsed, sorted by name;
    /// repeated names joined with commas in the order given.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (canonical: String, signed: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            var collapsed = ""
            var lastWasSpace = false
            for character in trimmed {
                if character == " " {
                    if !lastWasSpace { collapsed.append(character) }
                    lastWasSpace = true
                } else {
                    collapsed.append(character)
                    lastWasSpace = false
                }
            }
            merged[name.lowercased(), default: []].append(collapsed)
        }
        // Byte order, not locale order: AWS compares code units.
        let names = merged.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let canonical = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// Each name and value URI-encoded, pairs sorted by encoded name then value, joined with `&`.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (uriEncode($0.name), uriEncode($0.value)) }
            .sorted { a, b in
                a.0 == b.0 ? Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))
                    : Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// RFC 3986 encoding as SigV4 defines it: everything but `A-Z a-z 0-9 - . _ ~` becomes `%XX`
    /// (upper-case hex); with `keepSlash`, `/` stays (for object key paths).
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                let digits = Array("0123456789ABCDEF")
                out.append("%")
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// Lower-case hex SHA-256 of `data`.
    public static func sha256Hex(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef")
        var out = ""
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }
}
