import DataFolioSupport
import Foundation

/// cloud-files' (and CloudVolume's) AWS secret: a JSON object in
/// `~/.cloudvolume/secrets/<bucket>-aws-secret.json` or `aws-secret.json`, with the keys
/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN` and
/// `AWS_DEFAULT_REGION`. The folders are searched as cloud-files searches them:
/// `$CLOUD_VOLUME_DIR/secrets` (default `~/.cloudvolume/secrets`), then `/`, then
/// `$CLOUD_FILES_DIR/secrets` (default `~/.cloudfiles/secrets`); the bucket's own file wins
/// over the shared one.
enum CloudFilesSecret {
    static func candidatePaths(bucket: String, environment: [String: String]) -> [String] {
        let home = homeFolder(environment)
        let volumeDir = S3Credentials.nonEmpty(environment["CLOUD_VOLUME_DIR"]) ?? home.map { "\($0)/.cloudvolume" }
        let filesDir = S3Credentials.nonEmpty(environment["CLOUD_FILES_DIR"]) ?? home.map { "\($0)/.cloudfiles" }
        let folders = [volumeDir.map { "\($0)/secrets" }, "", filesDir.map { "\($0)/secrets" }].compactMap { $0 }
        var names = ["aws-secret.json"]
        if !bucket.isEmpty { names.insert("\(bucket)-aws-secret.json", at: 0) }
        return names.flatMap { name in folders.map { "\($0)/\(name)" } }
    }

    static func credentials(bucket: String, environment: [String: String]) throws(DataFolioError) -> S3Credentials? {
        let home = homeFolder(environment)
        for path in candidatePaths(bucket: bucket, environment: environment) {
            guard let text = try readTextFileIfPresent(path) else { continue }
            let shown = displayPath(path, home: home)
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                throw DataFolioError(
                    .authenticationFailed,
                    "\(shown) is not a JSON object; it should hold AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.", path: path)
            }
            func string(_ key: String) -> String? { S3Credentials.nonEmpty(object[key] as? String) }
            guard let key = string("AWS_ACCESS_KEY_ID"), let secret = string("AWS_SECRET_ACCESS_KEY") else {
                throw DataFolioError(
                    .authenticationFailed,
                    "\(shown) lacks AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY; add both.", path: path)
            }
            var credentials = S3Credentials(
                accessKeyID: key, secretAccessKey: secret, sessionToken: string("AWS_SESSION_TOKEN"), source: shown)
            credentials.region = string("AWS_DEFAULT_REGION")
            return credentials
        }
        return nil
    }
}
