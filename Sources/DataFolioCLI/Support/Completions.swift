import DataFolio
import Foundation

/// Shell completion of the names a folio holds (bash, zsh and fish call back into the
/// command with the words typed so far). Completion never fails loudly: a folio that
/// cannot be opened completes nothing.
enum Completions {
    /// Item names of the folio the command line names (of its snapshot, after
    /// `--snapshot S`).
    static func itemNames(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard var folio = folio(from: words, skipping: index) else { return [] }
        if let snapshot = value(of: ["--snapshot", "-s"], in: words, skipping: index), let view = try? folio.snapshot(snapshot) {
            folio = view
        }
        return folio.itemNames.filter { $0.hasPrefix(prefix) }
    }

    /// Snapshot names of the folio the command line names.
    static func snapshotNames(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let folio = folio(from: words, skipping: index) else { return [] }
        return folio.snapshots.map(\.name).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Aliases in the folio registry.
    static func aliases(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        FolioRegistry().aliases.map(\.name).filter { $0.hasPrefix(prefix) }
    }

    /// Aliases, then local folders (for options that take either).
    static func aliasesAndFolders(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        aliases(words, index, prefix) + folders(matching: prefix)
    }

    /// Folders whose path starts with `prefix`, each with a trailing `/`.
    static func folders(matching prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let parent = slash.map { String(prefix[...$0]) } ?? ""
        let start = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        let listed = parent.isEmpty ? "." : parent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return [] }
        return names.filter { name in
            guard name.hasPrefix(start), !name.hasPrefix(".") || start.hasPrefix(".") else { return false }
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: (parent.isEmpty ? "" : parent) + name, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted().map { parent + $0 + "/" }
    }

    /// The folio named by `-a`/`--alias`, `-f`/`--folio`, `$DATAFOLIO_PATH` or the current
    /// folder, opened read-only.
    private static func folio(from words: [String], skipping index: Int) -> DataFolio? {
        let location: String
        if let alias = value(of: ["-a", "--alias"], in: words, skipping: index) {
            guard let registered = try? FolioRegistry().location(ofAlias: alias) else { return nil }
            location = registered
        } else if let path = value(of: ["-f", "--folio"], in: words, skipping: index) {
            location = path
        } else if let environment = ProcessInfo.processInfo.environment["DATAFOLIO_PATH"], !environment.isEmpty {
            location = environment
        } else {
            location = FileManager.default.currentDirectoryPath
        }
        let folio = try? DataFolio(at: location, options: .readOnly)
        folio?.warningHandler = { _ in }
        return folio
    }

    /// The value given to one of `options` (`-f X`, `--folio X` or `--folio=X`), except at
    /// the word being completed.
    private static func value(of options: [String], in words: [String], skipping index: Int) -> String? {
        var found: String?
        var position = 1
        while position < words.count {
            let word = words[position]
            if word == "--" { break }
            if options.contains(word), position + 1 < words.count, position + 1 != index {
                found = words[position + 1]
                position += 2
                continue
            }
            for option in options where option.hasPrefix("--") && word.hasPrefix(option + "=") && position != index {
                found = String(word.dropFirst(option.count + 1))
            }
            position += 1
        }
        return found
    }
}
