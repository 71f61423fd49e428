import DataFolioS3
import Testing

/// Published AWS Signature V4 test vectors: the generic test suite (service "service",
/// credentials AKIDEXAMPLE) and the S3 examples of the S3 API reference
/// (credentials AKIAIOSFODNN7EXAMPLE). Each case states the request, and the expected
/// canonical request, string to sign and signature as published.
@Suite struct SignatureV4Tests {
    static let suiteCredentials = S3Credentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let s3Credentials = S3Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let suiteSigner = SignatureV4(credentials: suiteCredentials, region: "us-east-1", service: "service")
    static let s3Signer = SignatureV4(credentials: s3Credentials, region: "us-east-1", service: "s3")
    static let suiteHeaders: [(name: String, value: String)] = [
        ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"),
    ]

    @Test func vanillaQueryOrderKey() {
        // get-vanilla-query-order-key: GET /?Param1=value2&Param1=Value1
        let request = SignatureV4.Request(
            method: "GET", path: "/", query: [("Param1", "value2"), ("Param1", "Value1")],
            headers: Self.suiteHeaders, payloadHash: SignatureV4.emptyPayloadHash)
        let result = Self.suiteSigner.signature(for: request, amzDate: "20150830T123600Z")
        #expect(
            result.canonicalRequest == """
                GET
                /
                Param1=Value1&Param1=value2
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """)
        #expect(
            result.stringToSign == """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89
                """)
        #expect(result.signature == "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1")
        #expect(
            result.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"
        )
    }

    @Test func unreservedCharactersStayInThePath() {
        // get-unreserved: GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz
        let path = URIEncoding.encodePath("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let request = SignatureV4.Request(
            method: "GET", path: path, query: [], headers: Self.suiteHeaders, payloadHash: SignatureV4.emptyPayloadHash)
        let result = Self.suiteSigner.signature(for: request, amzDate: "20150830T123600Z")
        #expect(result.signature == "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
    }

    @Test func utf8PathIsPercentEncoded() {
        // get-utf8: GET /ሴ
        let path = URIEncoding.encodePath("/\u{1234}")
        #expect(path == "/%E1%88%B4")
        let request = SignatureV4.Request(
            method: "GET", path: path, query: [], headers: Self.suiteHeaders, payloadHash: SignatureV4.emptyPayloadHash)
        let result = Self.suiteSigner.signature(for: request, amzDate: "20150830T123600Z")
        #expect(result.signature == "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")
    }

    @Test func utf8QueryNameIsPercentEncoded() {
        // get-vanilla-utf8-query: GET /?ሴ=bar
        let request = SignatureV4.Request(
            method: "GET", path: "/", query: [("\u{1234}", "bar")], headers: Self.suiteHeaders,
            payloadHash: SignatureV4.emptyPayloadHash)
        let result = Self.suiteSigner.signature(for: request, amzDate: "20150830T123600Z")
        #expect(result.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "%E1%88%B4=bar")
        #expect(result.signature == "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04")
    }

    @Test func formBodyWithContentType() {
        // post-x-www-form-urlencoded: POST / with body "Param1=value1"
        let request = SignatureV4.Request(
            method: "POST", path: "/", query: [],
            headers: [("Content-Type", "application/x-www-form-urlencoded")] + Self.suiteHeaders,
            payloadHash: SignatureV4.payloadHash(of: Array("Param1=value1".utf8)))
        let result = Self.suiteSigner.signature(for: request, amzDate: "20150830T123600Z")
        #expect(
            result.canonicalRequest == """
                POST
                /

                content-type:application/x-www-form-urlencoded
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                content-type;host;x-amz-date
                9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
                """)
        #expect(result.stringToSign.hasSuffix("42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"))
        #expect(result.signature == "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    @Test func sessionTokenSignedAsHeader() {
        // post-sts-header-before: the X-Amz-Security-Token header is part of the signature.
        let token =
            "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
        let request = SignatureV4.Request(
            method: "POST", path: "/", query: [], headers: Self.suiteHeaders + [("X-Amz-Security-Token", token)],
            payloadHash: SignatureV4.emptyPayloadHash)
        let result = Self.suiteSigner.signature(for: request, amzDate: "20150830T123600Z")
        #expect(result.signedHeaders == "host;x-amz-date;x-amz-security-token")
        #expect(result.signature == "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead")
    }

    @Test func s3GetObjectWithRange() {
        // S3 reference example: GET /test.txt, Range: bytes=0-9.
        let request = SignatureV4.Request(
            method: "GET", path: "/test.txt", query: [],
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", SignatureV4.emptyPayloadHash), ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: SignatureV4.emptyPayloadHash)
        let result = Self.s3Signer.signature(for: request, amzDate: "20130524T000000Z")
        #expect(
            result.canonicalRequest == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """)
        #expect(
            result.stringToSign == """
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
                """)
        #expect(result.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func s3PutObjectEncodesDollarInKey() {
        // S3 reference example: PUT test$file.text with body "Welcome to Amazon S3."
        let body = Array("Welcome to Amazon S3.".utf8)
        let hash = SignatureV4.payloadHash(of: body)
        #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let path = "/" + URIEncoding.encodePath("test$file.text")
        #expect(path == "/test%24file.text")
        let request = SignatureV4.Request(
            method: "PUT", path: path, query: [],
            headers: [
                ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("Host", "examplebucket.s3.amazonaws.com"),
                ("x-amz-content-sha256", hash), ("x-amz-date", "20130524T000000Z"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            payloadHash: hash)
        let result = Self.s3Signer.signature(for: request, amzDate: "20130524T000000Z")
        #expect(result.stringToSign.hasSuffix("9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"))
        #expect(result.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func s3SubresourceWithoutValue() {
        // S3 reference example: GET ?lifecycle (canonical query "lifecycle=").
        let request = SignatureV4.Request(
            method: "GET", path: "/", query: [("lifecycle", "")],
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", SignatureV4.emptyPayloadHash),
                ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: SignatureV4.emptyPayloadHash)
        let result = Self.s3Signer.signature(for: request, amzDate: "20130524T000000Z")
        #expect(result.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "lifecycle=")
        #expect(result.stringToSign.hasSuffix("9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca"))
        #expect(result.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func s3ListObjectsQuerySorted() {
        // S3 reference example: GET ?max-keys=2&prefix=J.
        let request = SignatureV4.Request(
            method: "GET", path: "/", query: [("prefix", "J"), ("max-keys", "2")],
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", SignatureV4.emptyPayloadHash),
                ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: SignatureV4.emptyPayloadHash)
        let result = Self.s3Signer.signature(for: request, amzDate: "20130524T000000Z")
        #expect(result.stringToSign.hasSuffix("df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"))
        #expect(result.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func signedHeadersAddDateHashTokenAndAuthorization() {
        let credentials = S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token")
        let signer = SignatureV4(credentials: credentials, region: "us-east-1")
        let request = SignatureV4.Request(
            method: "GET", path: "/bucket/key", query: [], headers: [("host", "127.0.0.1:8333")],
            payloadHash: SignatureV4.emptyPayloadHash)
        let headers = signer.signedHeaders(for: request, epochSeconds: 1_440_938_160)
        let names = headers.map { $0.name.lowercased() }
        #expect(names == ["host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token", "authorization"])
        #expect(headers.first { $0.name == "x-amz-date" }?.value == "20150830T123600Z")
        let authorization = headers.last?.value ?? ""
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request"))
    }

    @Test func anonymousRequestsAreUnsigned() {
        let signer = SignatureV4(credentials: .anonymous, region: "us-east-1")
        let request = SignatureV4.Request(
            method: "GET", path: "/b/k", query: [], headers: [("host", "h")], payloadHash: SignatureV4.emptyPayloadHash)
        let headers = signer.signedHeaders(for: request, epochSeconds: 0)
        #expect(!headers.contains { $0.name.lowercased() == "authorization" })
    }

    @Test func amzDateFormatting() {
        #expect(SignatureV4.amzDate(epochSeconds: 0) == "19700101T000000Z")
        #expect(SignatureV4.amzDate(epochSeconds: 1_369_353_600) == "20130524T000000Z")
        #expect(SignatureV4.amzDate(epochSeconds: 951_782_399) == "20000228T235959Z")
        #expect(SignatureV4.amzDate(epochSeconds: 951_868_800) == "20000301T000000Z")
    }

    @Test func uriEncodingRules() {
        #expect(URIEncoding.encode("a b+c/d~e") == "a%20b%2Bc%2Fd~e")
        #expect(URIEncoding.encodePath("runs/a b/é.json") == "runs/a%20b/%C3%A9.json")
        #expect(URIEncoding.decode("a%20b+c%2Bd", plusIsSpace: true) == "a b c+d")
        #expect(URIEncoding.decode("100%") == "100%")
        #expect(URIEncoding.decode("%zz%4") == "%zz%4")
    }
}
