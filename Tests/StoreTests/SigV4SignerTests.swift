import Foundation
import Testing

@testable import Store

/// The signer against AWS's published vectors: the SigV4 test suite (aws-sig-v4-test-suite,
/// service `service`, 20150830T123600Z) and the worked S3 examples of the S3 SigV4 documentation.
/// Each expected value is the published one, not something this code computed.
@Suite struct SigV4SignerTests {
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160) // 2015-08-30T12:36:00Z
    static let suite = SigV4Signer(
        credentials: .init(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service"
    )
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600) // 2013-05-24T00:00:00Z
    static let s3 = SigV4Signer(
        credentials: .init(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "s3"
    )
    static let scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

    func suiteRequest(_ method: String = "GET", query: [(name: String, value: String)] = [],
                      headers: [(name: String, value: String)] = [], body: String = "") -> SigV4Signer.Request {
        SigV4Signer.Request(
            method: method, path: "/", query: query,
            headers: [("Host", "example.amazonaws.com")] + headers + [("X-Amz-Date", "20150830T123600Z")],
            payloadHash: SigV4Signer.sha256Hex(Data(body.utf8))
        )
    }

    @Test func timestampsAreUTC() {
        #expect(SigV4Signer.timestamps(Self.suiteDate) == ("20150830T123600Z", "20150830"))
        #expect(SigV4Signer.timestamps(Self.s3Date) == ("20130524T000000Z", "20130524"))
    }

    @Test func getVanilla() {
        let signed = Self.suite.sign(suiteRequest(), date: Self.suiteDate)
        #expect(signed.canonicalRequest == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signed.stringToSign == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
            """)
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=\(Self.scope), SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryOrderKeyCase() {
        let signed = Self.suite.sign(suiteRequest(query: [("Param2", "value2"), ("Param1", "value1")]), date: Self.suiteDate)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "Param1=value1&Param2=value2")
        #expect(signed.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test func getHeaderValueTrim() {
        let signed = Self.suite.sign(suiteRequest(headers: [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")]), date: Self.suiteDate)
        #expect(signed.canonicalRequest.contains("my-header1:value1\nmy-header2:\"a b c\"\n"))
        #expect(signed.signedHeaders == "host;my-header1;my-header2;x-amz-date")
        #expect(signed.signature == "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")
    }

    @Test func postXWwwFormUrlencoded() {
        let signed = Self.suite.sign(
            suiteRequest("POST", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1"),
            date: Self.suiteDate
        )
        #expect(signed.canonicalRequest.hasSuffix("content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"))
        #expect(signed.stringToSign.hasSuffix("\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"))
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=\(Self.scope), SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    @Test func sessionTokenIsSigned() {
        let signer = SigV4Signer(credentials: .init(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "token"),
                                 region: "us-east-1", service: "s3")
        let headers = signer.signedRequestHeaders(.init(method: "GET", path: "/", headers: [("host", "h")], payloadHash: SigV4Signer.emptyPayloadHash), date: Self.suiteDate)
        let authorization = headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(headers.contains { $0.name == "x-amz-security-token" && $0.value == "token" })
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
    }

    /// S3 documentation, "Example: GET Object" (the first 10 bytes of examplebucket/test.txt).
    @Test func s3GetObjectWithRange() {
        let headers = Self.s3.signedRequestHeaders(
            .init(method: "GET", path: "/test.txt", headers: [("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9")],
                  payloadHash: SigV4Signer.emptyPayloadHash),
            date: Self.s3Date
        )
        #expect(headers.first { $0.name == "Authorization" }?.value == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        let signed = Self.s3.sign(.init(method: "GET", path: "/test.txt", headers: [
            ("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9"),
            ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash), ("x-amz-date", "20130524T000000Z"),
        ], payloadHash: SigV4Signer.emptyPayloadHash), date: Self.s3Date)
        #expect(signed.stringToSign.hasSuffix("\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"))
    }

    /// S3 documentation, "Example: GET Bucket (List Objects)".
    @Test func s3ListObjects() {
        let headers = Self.s3.signedRequestHeaders(
            .init(method: "GET", path: "/", query: [("max-keys", "2"), ("prefix", "J")],
                  headers: [("host", "examplebucket.s3.amazonaws.com")], payloadHash: SigV4Signer.emptyPayloadHash),
            date: Self.s3Date
        )
        #expect(headers.first { $0.name == "Authorization" }?.value.hasSuffix("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
    }

    /// S3 documentation, "Example: presigned URL" for examplebucket/test.txt, valid 86400 s.
    @Test func s3PresignedURL() {
        let url = Self.s3.presignedURL(method: "GET", scheme: "https", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
                                       expires: 86400, date: Self.s3Date)
        #expect(url == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func uriEncodingFollowsSigV4() {
        #expect(SigV4Signer.uriEncode("-._~azAZ09") == "-._~azAZ09")
        #expect(SigV4Signer.uriEncode("a b+c/d=é") == "a%20b%2Bc%2Fd%3D%C3%A9")
        #expect(SigV4Signer.uriEncode("users/u/a.mp4", keepSlash: true) == "users/u/a.mp4")
        #expect(SigV4Signer.canonicalQuery([("b", ""), ("a", "2"), ("a", "10")]) == "a=10&a=2&b=")
    }

    @Test func addressingStyles() {
        let credentials = AWSCredentials(accessKeyId: "a", secretAccessKey: "b")
        let path = S3Client(configuration: .init(bucket: "media", endpoint: URL(string: "http://127.0.0.1:8333")!, region: "us-east-1",
                                                 credentials: credentials, addressing: .path))
        #expect(path.location(of: "users/u/x.mp4") == ("127.0.0.1:8333", "/media/users/u/x.mp4"))
        #expect(path.location(of: nil) == ("127.0.0.1:8333", "/media"))
        let virtual = S3Client(configuration: .init(bucket: "media", endpoint: URL(string: "https://s3.eu-west-1.amazonaws.com")!, region: "eu-west-1",
                                                    credentials: credentials, addressing: .virtualHost))
        #expect(virtual.location(of: "users/u/x.mp4") == ("media.s3.eu-west-1.amazonaws.com", "/users/u/x.mp4"))
        #expect(virtual.location(of: nil) == ("media.s3.eu-west-1.amazonaws.com", "/"))
    }
}
