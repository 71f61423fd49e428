@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Finding items across folios")
struct SearchTests {
    /// Two registered folios and one only used recently.
    func makeFolios(_ temp: TemporaryFolder) throws -> FolioRegistry {
        let registry = FolioRegistry(home: temp.path("home"))
        let cells = try DataFolio(at: temp.path("cells"), metadata: ["dataset": "minnie65", "version": 3])
        cells.warningHandler = { _ in }
        let csv = temp.url.appendingPathComponent("cells.csv")
        try Data("a\n1\n".utf8).write(to: csv)
        try cells.add("cells_raw", reference: csv.path, description: "The synapse table I liked")
        try cells.add("cells_clean", Table([Column(name: "a", [1] as [Int64])]))
        try cells.add("Cells_model", json: ["depth": 3] as [String: Int])
        try cells.add("notes", "cells everywhere")
        try cells.add("old_cells", [1])
        try cells.archive("old_cells")
        try registry.setAlias("cells", to: cells.location)
        let soma = try DataFolio(at: temp.path("soma"), metadata: ["dataset": "v1dd"])
        try soma.add("soma_table", Table([Column(name: "b", [2] as [Int64])]), description: "Somas")
        try soma.add("emb", NDArray([1, 2] as [Float]))
        try registry.setAlias("soma", to: soma.location)
        let recent = try DataFolio(at: temp.path("recent"))
        try recent.add("cells_recent", Date(timeIntervalSince1970: 0))
        registry.recordRecent(recent.location)
        return registry
    }

    func search(_ pattern: String, _ registry: FolioRegistry, _ configure: (inout FolioSearch) -> Void = { _ in }) throws -> FolioSearchResult {
        var search = FolioSearch(pattern)
        search.registry = registry
        configure(&search)
        return try search.run()
    }

    @Test func namesMatchAsShellPatternsIgnoringCase() throws {
        let temp = TemporaryFolder("find")
        let registry = try makeFolios(temp)
        let result = try search("cells*", registry)
        // Folio by folio; within one, references before tables before JSON, as Python lists them.
        #expect(result.items.map(\.name) == ["cells_raw", "cells_clean", "Cells_model", "cells_recent"])
        #expect(result.items.map(\.alias) == ["cells", "cells", "cells", nil])
        #expect(result.items.first?.folioLocation == FolioRegistry.normalizedLocation(temp.path("cells")))
        #expect(result.items.first?.description == "The synapse table I liked")
        #expect(result.items[1].description == nil, "no description is not an error")
        #expect(result.items.first?.createdAt != nil)
        #expect(result.skipped.isEmpty)
        #expect(try search("cells*", registry) { $0.caseSensitive = true }.items.map(\.name) == ["cells_raw", "cells_clean", "cells_recent"])
        #expect(try search("*", registry) { $0.includeArchived = true }.items.count == 8)
        #expect(try search("*", registry).items.count == 7)
        #expect(try search("nothing", registry).isEmpty)
    }

    @Test func regularExpressionsTypesAndDescriptions() throws {
        let temp = TemporaryFolder("find-regex")
        let registry = try makeFolios(temp)
        #expect(try search("^soma|raw$", registry) { $0.isRegularExpression = true }.items.map(\.name) == ["cells_raw", "soma_table"])
        #expect(try search("*", registry) { $0.itemTypes = ["table"] }.items.map(\.name) == ["cells_raw", "cells_clean", "soma_table"])
        #expect(try search("*", registry) { $0.itemTypes = ["array", "timestamp"] }.items.map(\.name) == ["emb", "cells_recent"])
        #expect(try search("*", registry) { $0.itemTypes = ["referenced_table"] }.items.map(\.name) == ["cells_raw"])
        #expect(throws: DataFolioError.self) { try search("*", registry) { $0.itemTypes = ["tabel"] } }
        #expect(throws: DataFolioError.self) { try search("(", registry) { $0.isRegularExpression = true } }
        #expect(try search("synapse", registry).isEmpty)
        #expect(try search("synapse", registry) { $0.matchesDescriptions = true }.items.map(\.name) == ["cells_raw"])
        #expect(try search("*SYNAPSE*", registry) { $0.matchesDescriptions = true }.items.map(\.name) == ["cells_raw"])
        #expect(try search("syn.pse", registry) { $0.matchesDescriptions = true; $0.isRegularExpression = true }.items.map(\.name) == ["cells_raw"])
    }

    @Test func metadataKeysAndValues() throws {
        let temp = TemporaryFolder("find-meta")
        let registry = try makeFolios(temp)
        let keys = try search("dataset", registry) { $0.searchesMetadata = true }
        #expect(keys.items.isEmpty)
        #expect(keys.metadata.map(\.value) == ["minnie65", "v1dd"])
        #expect(keys.metadata.map(\.alias) == ["cells", "soma"])
        let values = try search("dataset=minnie*", registry) { $0.searchesMetadata = true }
        #expect(values.metadata.map(\.folioLocation) == [FolioRegistry.normalizedLocation(temp.path("cells"))])
        #expect(try search("version=3", registry) { $0.searchesMetadata = true }.metadata.count == 1)
        #expect(try search("_datafolio", registry) { $0.searchesMetadata = true }.metadata.count == 3)
    }

    @Test func targetsNarrowTheSearch() throws {
        let temp = TemporaryFolder("find-targets")
        let registry = try makeFolios(temp)
        #expect(try search("*", registry) { $0.folios = ["soma"] }.items.map(\.name) == ["soma_table", "emb"])
        // A path that an alias names is reported under that alias; repeats are searched once.
        let byPath = try search("*", registry) { $0.folios = [temp.path("soma"), "soma", temp.path("recent")] }
        #expect(byPath.items.map(\.alias) == ["soma", "soma", nil])
        #expect(try search("*", registry) { $0.aliasesOnly = true }.items.count == 6)
        // Missing and unreadable folios are skipped, with the reason.
        try registry.setAlias("remote", to: "s3://bucket/folio")
        try registry.setAlias("gone", to: temp.path("gone"))
        let result = try search("*", registry)
        #expect(result.items.count == 7)
        #expect(Set(result.skipped.map(\.alias)) == ["remote", "gone"])
        let local = try search("*", registry) { $0.localOnly = true }
        #expect(local.skipped.map(\.alias) == ["gone"])
    }

    /// 40 folios of 20 items, each registered under an alias.
    func makeManyFolios(_ temp: TemporaryFolder) throws -> FolioRegistry {
        let registry = FolioRegistry(home: temp.path("home"))
        for index in 0..<40 {
            let folio = try DataFolio(at: temp.path("f\(index)"))
            try folio.batch { folio in
                for item in 0..<20 { try folio.add("item\(item)", .int(Int64(item)), description: item % 2 == 0 ? nil : "odd") }
            }
            try registry.setAlias("f\(index)", to: folio.location)
        }
        return registry
    }

    @Test func manyFoliosAreSearchedInParallel() async throws {
        let temp = TemporaryFolder("find-many")
        let registry = try makeManyFolios(temp)
        var search = FolioSearch("item1*")
        search.registry = registry
        search.maximumConcurrency = 4
        let result = try await search.run()
        #expect(result.items.count == 40 * 11)
        #expect(result.items.map(\.alias) == (0..<40).map { "f\($0)" }.sorted().flatMap { Array(repeating: Optional($0), count: 11) })
    }
}
