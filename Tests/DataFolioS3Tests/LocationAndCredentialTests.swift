import DataFolioS3
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite struct LocationTests {
    @Test func plainS3Location() throws {
        let location = try S3Location(parsing: "s3://lab/experiments/run-1/")
        #expect(location.bucket == "lab")
        #expect(location.prefix == "experiments/run-1")
        #expect(location.endpoint == nil)
        #expect(location.key("items.json") == "experiments/run-1/items.json")
        #expect(location.key("/tables/a--r1.parquet") == "experiments/run-1/tables/a--r1.parquet")
        #expect(location.folderPrefix == "experiments/run-1/")
        #expect(location.description == "s3://lab/experiments/run-1")
    }

    @Test func bucketRootLocation() throws {
        let location = try S3Location(parsing: "s3://lab")
        #expect(location.prefix == "")
        #expect(location.key("items.json") == "items.json")
        #expect(location.folderPrefix == "")
    }

    @Test func cloudFilesEndpointForm() throws {
        let location = try S3Location(parsing: "s3://http://127.0.0.1:8333/lab/run/a")
        #expect(location.bucket == "lab")
        #expect(location.prefix == "run/a")
        #expect(location.endpoint?.scheme == "http")
        #expect(location.endpoint?.host == "127.0.0.1")
        #expect(location.endpoint?.port == 8333)
        #expect(location.description == "s3://http://127.0.0.1:8333/lab/run/a")

        let secure = try S3Location(parsing: "s3://https://storage.example.org/lab")
        #expect(secure.endpoint?.isSecure == true)
        #expect(secure.endpoint?.port == nil)
        #expect(secure.bucket == "lab")
        #expect(secure.prefix == "")
    }

    @Test func malformedLocationsAreRejected() {
        for bad in ["s3://", "s3:///prefix", "s3://http://127.0.0.1:8333", "s3://http://127.0.0.1:8333/", "s3://a b/x", "s3://ab", "s3://http://host:99999/lab"] {
            #expect(throws: DataFolioError.self, "\(bad)") { try S3Location(parsing: bad) }
        }
    }

    @Test func remoteLocationDispatch() throws {
        guard case .s3(let s3)? = try RemoteLocation.parse("S3://lab/run") else {
            Issue.record("s3 location not recognised")
            return
        }
        #expect(s3.bucket == "lab")
        guard case .http(let http)? = try RemoteLocation.parse("https://example.org/folios/run%201/") else {
            Issue.record("https location not recognised")
            return
        }
        #expect(http.url(for: "items.json") == "https://example.org/folios/run%201/items.json")
        #expect(http.url(for: "tables/a b.parquet") == "https://example.org/folios/run%201/tables/a%20b.parquet")
        #expect(try RemoteLocation.parse("/data/run") == nil)
        #expect(try RemoteLocation.parse("file:///data/run") == nil)
        #expect(RemoteLocation.isRemote("http://x") && !RemoteLocation.isRemote("./run"))
    }

    @Test func httpLocationAtServerRoot() throws {
        let location = try HTTPLocation(parsing: "http://127.0.0.1:8000")
        #expect(location.url(for: "items.json") == "http://127.0.0.1:8000/items.json")
        #expect(location.description == "http://127.0.0.1:8000/")
        #expect(throws: DataFolioError.self) { try HTTPLocation(parsing: "http://h/x?y=1") }
    }

    @Test func endpointParsing() throws {
        let ipv6 = try S3Endpoint(parsing: "http://[::1]:9000")
        #expect(ipv6.host == "::1" && ipv6.port == 9000)
        #expect(ipv6.description == "http://[::1]:9000")
        let defaultPort = try S3Endpoint(parsing: "https://S3.EU-WEST-1.amazonaws.com:443/")
        #expect(defaultPort.port == nil && defaultPort.isAWS && defaultPort.host == "s3.eu-west-1.amazonaws.com")
        #expect(throws: DataFolioError.self) { try S3Endpoint(parsing: "ftp://host") }
    }
}

/// Credential and configuration lookup, under a temporary HOME so the machine's own files
/// never take part.
@Suite struct CredentialTests {
    let home = TemporaryFolder("s3-home")

    func write(_ text: String, to relative: String) throws {
        let path = home.path(relative)
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    var environment: [String: String] { ["HOME": home.path] }

    @Test func environmentVariablesComeFirst() throws {
        try write("[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = filesecret\n", to: ".aws/credentials")
        var env = environment
        env["AWS_ACCESS_KEY_ID"] = "FROMENV"
        env["AWS_SECRET_ACCESS_KEY"] = "envsecret"
        env["AWS_SESSION_TOKEN"] = "token"
        let credentials = try S3Credentials.resolve(bucket: "lab", environment: env)
        #expect(credentials.accessKeyID == "FROMENV")
        #expect(credentials.secretAccessKey == "envsecret")
        #expect(credentials.sessionToken == "token")
        #expect(credentials.source.contains("AWS_ACCESS_KEY_ID"))
        #expect(!credentials.description.contains("envsecret"))
    }

    @Test func keyWithoutSecretIsAnError() {
        var env = environment
        env["AWS_ACCESS_KEY_ID"] = "ONLYKEY"
        #expect(throws: DataFolioError.self) { try S3Credentials.resolve(bucket: "lab", environment: env) }
    }

    @Test func defaultProfileFromCredentialsFile() throws {
        try write(
            """
            # comment
            [default]
            aws_access_key_id = DEFAULTKEY
            aws_secret_access_key = defaultsecret ; trailing comment

            [other]
            aws_access_key_id=OTHERKEY
            aws_secret_access_key=othersecret
            """, to: ".aws/credentials")
        try write("[default]\nregion = eu-central-1\n", to: ".aws/config")
        let credentials = try S3Credentials.resolve(bucket: "lab", environment: environment)
        #expect(credentials.accessKeyID == "DEFAULTKEY")
        #expect(credentials.secretAccessKey == "defaultsecret")
        #expect(credentials.region == "eu-central-1")
        #expect(credentials.source == "profile 'default' in ~/.aws/credentials")

        var env = environment
        env["AWS_PROFILE"] = "other"
        let other = try S3Credentials.resolve(bucket: "lab", environment: env)
        #expect(other.accessKeyID == "OTHERKEY")
        #expect(other.source == "profile 'other' in ~/.aws/credentials")
    }

    @Test func namedProfileInConfigFile() throws {
        try write(
            """
            [profile lab]
            region = ap-south-1
            aws_access_key_id = CONFIGKEY
            aws_secret_access_key = configsecret
            s3 =
              addressing_style = path
            """, to: ".aws/config")
        var env = environment
        env["AWS_PROFILE"] = "lab"
        let credentials = try S3Credentials.resolve(bucket: "lab", environment: env)
        #expect(credentials.accessKeyID == "CONFIGKEY")
        #expect(credentials.source == "profile 'lab' in ~/.aws/config")
        let configuration = try S3Configuration.resolve(for: S3Location(parsing: "s3://lab-data/run"), environment: env)
        #expect(configuration.region == "ap-south-1")
        #expect(configuration.endpoint.host == "s3.ap-south-1.amazonaws.com")
        #expect(configuration.addressing == .path)
    }

    @Test func missingNamedProfileIsAnError() throws {
        try write("[default]\naws_access_key_id = K\naws_secret_access_key = S\n", to: ".aws/credentials")
        var env = environment
        env["AWS_PROFILE"] = "nope"
        #expect {
            try S3Credentials.resolve(bucket: "lab", environment: env)
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .authenticationFailed && (error?.message.contains("AWS_PROFILE is 'nope'") ?? false)
        }
    }

    @Test func cloudFilesSecretUnderHome() throws {
        try write(
            #"{"AWS_ACCESS_KEY_ID": "CLOUDKEY", "AWS_SECRET_ACCESS_KEY": "cloudsecret", "AWS_DEFAULT_REGION": "us-west-2"}"#,
            to: ".cloudvolume/secrets/aws-secret.json")
        let credentials = try S3Credentials.resolve(bucket: "lab", environment: environment)
        #expect(credentials.accessKeyID == "CLOUDKEY")
        #expect(credentials.secretAccessKey == "cloudsecret")
        #expect(credentials.source == "~/.cloudvolume/secrets/aws-secret.json")
        let configuration = try S3Configuration.resolve(for: S3Location(parsing: "s3://lab/run"), environment: environment)
        #expect(configuration.region == "us-west-2")
    }

    @Test func cloudFilesBucketSecretWinsOverShared() throws {
        try write(#"{"AWS_ACCESS_KEY_ID": "SHARED", "AWS_SECRET_ACCESS_KEY": "s"}"#, to: ".cloudvolume/secrets/aws-secret.json")
        try write(#"{"AWS_ACCESS_KEY_ID": "BUCKETKEY", "AWS_SECRET_ACCESS_KEY": "b"}"#, to: ".cloudvolume/secrets/lab-aws-secret.json")
        #expect(try S3Credentials.resolve(bucket: "lab", environment: environment).accessKeyID == "BUCKETKEY")
        #expect(try S3Credentials.resolve(bucket: "other", environment: environment).accessKeyID == "SHARED")
    }

    @Test func cloudFilesLegacyFolder() throws {
        try write(#"{"AWS_ACCESS_KEY_ID": "LEGACY", "AWS_SECRET_ACCESS_KEY": "l"}"#, to: ".cloudfiles/secrets/aws-secret.json")
        #expect(try S3Credentials.resolve(bucket: "lab", environment: environment).accessKeyID == "LEGACY")
    }

    @Test func profileWinsOverCloudFilesSecret() throws {
        try write("[default]\naws_access_key_id = PROFILE\naws_secret_access_key = p\n", to: ".aws/credentials")
        try write(#"{"AWS_ACCESS_KEY_ID": "CLOUD", "AWS_SECRET_ACCESS_KEY": "c"}"#, to: ".cloudvolume/secrets/aws-secret.json")
        #expect(try S3Credentials.resolve(bucket: "lab", environment: environment).accessKeyID == "PROFILE")
    }

    @Test func brokenCloudFilesSecretIsAnError() throws {
        try write("not json", to: ".cloudvolume/secrets/aws-secret.json")
        #expect(throws: DataFolioError.self) { try S3Credentials.resolve(bucket: "lab", environment: environment) }
    }

    @Test func nothingFoundMeansAnonymous() throws {
        let credentials = try S3Credentials.resolve(bucket: "lab", environment: environment)
        #expect(credentials.isAnonymous)
    }

    @Test func endpointAndRegionPrecedence() throws {
        var env = environment
        env["AWS_ACCESS_KEY_ID"] = "K"
        env["AWS_SECRET_ACCESS_KEY"] = "S"
        env["AWS_DEFAULT_REGION"] = "eu-west-3"
        var configuration = try S3Configuration.resolve(for: S3Location(parsing: "s3://lab-data/run"), environment: env)
        #expect(configuration.region == "eu-west-3")
        #expect(configuration.endpoint.description == "https://s3.eu-west-3.amazonaws.com")
        #expect(configuration.addressing == .virtualHosted)

        env["AWS_REGION"] = "eu-north-1"
        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000"
        configuration = try S3Configuration.resolve(for: S3Location(parsing: "s3://lab-data/run"), environment: env)
        #expect(configuration.region == "eu-north-1")
        #expect(configuration.endpoint.description == "http://127.0.0.1:9000")
        #expect(configuration.endpointSource == "AWS_ENDPOINT_URL")
        #expect(configuration.addressing == .path)

        env["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9100"
        configuration = try S3Configuration.resolve(for: S3Location(parsing: "s3://lab-data/run"), environment: env)
        #expect(configuration.endpoint.port == 9100)

        configuration = try S3Configuration.resolve(for: S3Location(parsing: "s3://http://127.0.0.1:8333/lab-data/run"), environment: env)
        #expect(configuration.endpoint.port == 8333)

        // Dotted bucket names cannot be virtual hosts under AWS's TLS certificates.
        env["AWS_ENDPOINT_URL"] = nil
        env["AWS_ENDPOINT_URL_S3"] = nil
        configuration = try S3Configuration.resolve(for: S3Location(parsing: "s3://lab.data/run"), environment: env)
        #expect(configuration.addressing == .path)
    }

    @Test func explicitCredentialsWin() throws {
        var env = environment
        env["AWS_ACCESS_KEY_ID"] = "ENV"
        env["AWS_SECRET_ACCESS_KEY"] = "S"
        let configuration = try S3Configuration.resolve(
            for: S3Location(parsing: "s3://lab/run"), credentials: S3Credentials(accessKeyID: "CODE", secretAccessKey: "c"),
            environment: env)
        #expect(configuration.credentials.accessKeyID == "CODE")
    }

    @Test func badTuningVariablesAreErrors() {
        var env = environment
        env["DATAFOLIO_S3_TIMEOUT"] = "soon"
        #expect(throws: DataFolioError.self) { try S3Configuration.resolve(for: S3Location(bucket: "lab"), environment: env) }
        env["DATAFOLIO_S3_TIMEOUT"] = "2.5"
        env["AWS_MAX_ATTEMPTS"] = "3"
        let configuration = try? S3Configuration.resolve(for: S3Location(bucket: "lab"), environment: env)
        #expect(configuration?.timeouts.request == 2.5)
        #expect(configuration?.retry.maxAttempts == 3)
    }

    @Test func retryDelaysUseFullJitterWithinTheCeiling() {
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: 0.1, maxDelay: 1)
        var random = SeededRandom(seed: 7)
        for attempt in 2...8 {
            let ceiling = min(1, 0.1 * Double(1 << (attempt - 2)))
            for _ in 0..<50 {
                let delay = policy.delay(beforeAttempt: attempt, using: &random)
                #expect(delay >= 0 && delay <= ceiling)
            }
        }
    }
}
