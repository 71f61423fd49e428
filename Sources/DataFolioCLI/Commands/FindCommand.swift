import ArgumentParser
import DataFolio
import Foundation

struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find items across registered and recently used folios.",
        discussion: """
            PATTERN is a shell pattern matched against whole item names (default '*'; '*' also matches
            '/'), or with --regex a regular expression found anywhere in the name. Matching ignores
            case unless --case-sensitive is given. Only each folio's catalog is read, and folios are
            read in parallel. The folios searched are the aliases and recently used folios of the
            registry ('datafolio folios list'), or those given with --in (or -f/-a).
            Exits with status 1 when nothing matches.

            Examples:
              datafolio find 'cells*'
              datafolio find 'synapse|soma' --regex --type table
              datafolio find '*' --in my-folio --type model
              datafolio find 'dataset=minnie*' --metadata
              datafolio find synapse --desc --json
            """)

    enum TypeName: String, ExpressibleByArgument, CaseIterable {
        case table, model, artifact, array, json, timestamp
    }

    @OptionGroup(visibility: .hidden) var folioOptions: FolioOptions

    @Argument(help: "The pattern (with --metadata: KEY or KEY=VALUE).")
    var pattern: String = "*"

    @Flag(help: "Read PATTERN as a regular expression.")
    var regex = false

    @Option(name: .customLong("type"), help: "Only items of this type (repeat for several).")
    var types: [TypeName] = []

    @Flag(help: "Match folio metadata keys (KEY or KEY=VALUE) instead of item names.")
    var metadata = false

    @Option(name: .customLong("in"), help: ArgumentHelp("Only search this alias or folio (repeat for several).", valueName: "alias|path"),
            completion: .custom(Completions.aliasesAndFolders))
    var folios: [String] = []

    @Flag(name: .customLong("aliases-only"), help: "Skip recently used folios that have no alias.")
    var aliasesOnly = false

    @Flag(name: .customLong("local-only"), help: "Skip remote folios (s3://, https://, …).")
    var localOnly = false

    @Flag(name: .customLong("include-archived"), help: "Include archived items.")
    var includeArchived = false

    @Flag(name: .customLong("case-sensitive"), help: "Match letter case exactly.")
    var caseSensitive = false

    @Flag(name: .customLong("desc"), help: "Also match text anywhere in item descriptions.")
    var descriptions = false

    @Flag(help: "Print a JSON array of matches.")
    var json = false

    func run() throws {
        var search = FolioSearch(pattern)
        search.isRegularExpression = regex
        search.itemTypes = types.isEmpty ? nil : types.map(\.rawValue)
        search.searchesMetadata = metadata
        var targets = folios
        if let alias = folioOptions.alias { targets.append(alias) }
        if let folio = folioOptions.folio { targets.append(folio) }
        search.folios = targets.isEmpty ? nil : targets
        search.aliasesOnly = aliasesOnly
        search.localOnly = localOnly
        search.includeArchived = includeArchived
        search.caseSensitive = caseSensitive
        search.matchesDescriptions = descriptions
        let result = try search.run()
        for skipped in result.skipped {
            let label = skipped.alias.map { "'\($0)' (\(skipped.location))" } ?? skipped.location
            Terminal.printError(Terminal.paint("⚠", .yellow, standardError: true) + " Skipping folio \(label): \(skipped.reason)")
        }
        if json {
            Terminal.printJSON(.array(metadata ? result.metadata.map { FindCommand.json($0) } : result.items.map { FindCommand.json($0) }))
            if result.isEmpty { throw ExitCode(1) }
            return
        }
        guard !result.isEmpty else {
            Terminal.print(Terminal.paint("No matches for '\(pattern)'.", .yellow))
            if !descriptions && !metadata {
                // A second pass over the (small) catalogs, only when nothing matched.
                var inDescriptions = search
                inDescriptions.matchesDescriptions = true
                let count = (try? inDescriptions.run().items.count) ?? 0
                if count == 1 {
                    Terminal.print("1 item mentions it in its description; add --desc to include it.")
                } else if count > 1 {
                    Terminal.print("\(count) items mention it in their descriptions; add --desc to include them.")
                }
            }
            throw ExitCode(1)
        }
        var table: TextTable
        if metadata {
            table = TextTable(header: ["Folio", "Key", "Value"], styles: [.cyan, nil, nil])
            table.rows = result.metadata.map { [$0.alias ?? $0.folioLocation, $0.key, FindCommand.text($0.value)] }
        } else {
            table = TextTable(header: ["Folio", "Item", "Type", "Description"], styles: [.cyan, nil, .dim, nil])
            table.rows = result.items.map { [$0.alias ?? $0.folioLocation, $0.name, $0.itemType, $0.description ?? ""] }
        }
        Terminal.print(Terminal.paint("Matches for '\(pattern)'", .bold))
        Terminal.print(table.lines().joined(separator: "\n"))
    }

    static func json(_ item: FoundItem) -> JSONValue {
        [
            "alias": item.alias.map(JSONValue.string) ?? .null,
            "folio_path": .string(item.folioLocation),
            "name": .string(item.name),
            "item_type": .string(item.itemType),
            "description": item.description.map(JSONValue.string) ?? .null,
            "created_at": item.createdAt.map(JSONValue.string) ?? .null,
        ]
    }

    static func json(_ entry: FoundMetadata) -> JSONValue {
        [
            "alias": entry.alias.map(JSONValue.string) ?? .null,
            "folio_path": .string(entry.folioLocation),
            "key": .string(entry.key),
            "value": entry.value,
        ]
    }

    static func text(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.formatted(indented: false)
    }
}
