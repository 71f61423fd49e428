import DataFolioSupport

/// The shared AWS files: `~/.aws/credentials` and `~/.aws/config`.
enum AWSProfiles {
    /// The profile named by `AWS_PROFILE` (or `default`), from the credentials file and then
    /// the config file. Nil when neither file has keys for it; an error when `AWS_PROFILE`
    /// was set explicitly and neither file has that profile at all.
    static func credentials(environment: [String: String]) throws(DataFolioError) -> S3Credentials? {
        let explicitProfile = S3Credentials.nonEmpty(environment["AWS_PROFILE"])
        let profile = explicitProfile ?? "default"
        let home = homeFolder(environment)
        let credentialsPath = S3Credentials.nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"])
            ?? home.map { "\($0)/.aws/credentials" }
        let configPath = S3Credentials.nonEmpty(environment["AWS_CONFIG_FILE"]) ?? home.map { "\($0)/.aws/config" }

        var credentialsSection: [String: String]?
        if let credentialsPath, let text = try readTextFileIfPresent(credentialsPath) {
            credentialsSection = INIFile(text).sections[profile]
        }
        var configSection: [String: String]?
        if let configPath, let text = try readTextFileIfPresent(configPath) {
            let sections = INIFile(text).sections
            configSection = profile == "default" ? (sections["default"] ?? sections["profile default"]) : sections["profile \(profile)"]
        }
        if credentialsSection == nil && configSection == nil {
            if let explicitProfile {
                throw DataFolioError(
                    .authenticationFailed,
                    "AWS_PROFILE is '\(explicitProfile)' but neither \(displayPath(credentialsPath ?? "~/.aws/credentials", home: home)) "
                        + "nor \(displayPath(configPath ?? "~/.aws/config", home: home)) has that profile; fix AWS_PROFILE or add the profile.")
            }
            return nil
        }
        let region = S3Credentials.nonEmpty(configSection?["region"]) ?? S3Credentials.nonEmpty(credentialsSection?["region"])
        let endpoint = S3Credentials.nonEmpty(configSection?["endpoint_url"]) ?? S3Credentials.nonEmpty(credentialsSection?["endpoint_url"])
        for (section, path) in [(credentialsSection, credentialsPath), (configSection, configPath)] {
            guard let section, let path, let key = S3Credentials.nonEmpty(section["aws_access_key_id"]) else { continue }
            let shown = displayPath(path, home: home)
            guard let secret = S3Credentials.nonEmpty(section["aws_secret_access_key"]) else {
                throw DataFolioError(
                    .authenticationFailed,
                    "Profile '\(profile)' in \(shown) has aws_access_key_id but no aws_secret_access_key; add it.")
            }
            var credentials = S3Credentials(
                accessKeyID: key, secretAccessKey: secret,
                sessionToken: S3Credentials.nonEmpty(section["aws_session_token"]),
                source: "profile '\(profile)' in \(shown)")
            credentials.region = region
            credentials.endpointURL = endpoint
            return credentials
        }
        if let explicitProfile {
            throw DataFolioError(
                .unsupportedFeature,
                "AWS profile '\(explicitProfile)' has no aws_access_key_id/aws_secret_access_key; "
                    + "other credential sources (SSO, roles, processes) are not supported. Put the keys in the profile or in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.")
        }
        return nil
    }

    /// The region of the active profile in the config file, for when no region is set in
    /// the environment and no credentials came from a profile.
    static func region(environment: [String: String]) -> String? {
        let profile = S3Credentials.nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        let home = homeFolder(environment)
        guard let path = S3Credentials.nonEmpty(environment["AWS_CONFIG_FILE"]) ?? home.map({ "\($0)/.aws/config" }),
            let text = try? readTextFileIfPresent(path)
        else { return nil }
        let sections = INIFile(text).sections
        let section = profile == "default" ? (sections["default"] ?? sections["profile default"]) : sections["profile \(profile)"]
        return S3Credentials.nonEmpty(section?["region"])
    }
}

/// The INI dialect of the AWS shared files: `[section]` headers, `key = value` lines,
/// `#` and `;` comments, keys matched case-insensitively. Indented lines continue a nested
/// setting (e.g. `s3 =` followed by `  addressing_style = path`); they are kept as
/// `parent.key`.
struct INIFile {
    private(set) var sections: [String: [String: String]] = [:]

    init(_ text: String) {
        var current: String?
        var nestedParent: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let end = line.lastIndex(of: "]") else { current = nil; continue }
                let name = line[line.index(after: line.startIndex)..<end].trimmingCharacters(in: .whitespaces)
                // "[profile  dev]" and "[profile dev]" name the same profile.
                let words = name.split(separator: " ", omittingEmptySubsequences: true)
                current = words.joined(separator: " ")
                nestedParent = nil
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let comment = value.range(of: " #") ?? value.range(of: " ;") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            let indented = rawLine.first == " " || rawLine.first == "\t"
            if indented, let parent = nestedParent {
                sections[section]?["\(parent).\(key)"] = value
            } else {
                sections[section]?[key] = value
                nestedParent = value.isEmpty ? key : nil
            }
        }
    }
}
