import DataFolioS3
import Foundation

// No server needed: remote locations parse, a request is signed as AWS's published
// Signature V4 test vector says (get-vanilla), and the remote stores register.
do {
    let location = try S3Location(parsing: "s3://http://127.0.0.1:8333/lab/runs/a")
    guard location.bucket == "lab", location.key("items.json") == "runs/a/items.json" else {
        print("S3Client: s3://http://127.0.0.1:8333/lab/runs/a parsed as \(location)")
        exit(1)
    }
    let signer = SignatureV4(
        credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    let request = SignatureV4.Request(
        method: "GET", path: "/", query: [],
        headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
        payloadHash: SignatureV4.emptyPayloadHash)
    let signature = signer.signature(for: request, amzDate: "20150830T123600Z").signature
    guard signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" else {
        print("S3Client: get-vanilla signed as \(signature)")
        exit(1)
    }
    RemoteStorage.register()
    print("S3Client: ok (\(location))")
} catch {
    print("S3Client: \(error.localizedDescription)")
    exit(1)
}
