@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("The folio registry")
struct RegistryTests {
    @Test func aliasesAreSetResolvedAndRemoved() throws {
        let temp = TemporaryFolder("registry")
        let registry = FolioRegistry(home: temp.path("home"))
        let base = FolioRegistry.normalizedLocation(temp.path)
        let folio = try DataFolio(at: temp.path("f"))
        #expect(try registry.setAlias("demo", to: temp.path("f")) == base + "/f")
        #expect(try registry.location(ofAlias: "demo") == base + "/f")
        #expect(try DataFolio(alias: "demo", registry: registry).location == base + "/f")
        // Same path again: nothing changes; another path needs overwrite.
        let created = registry.aliases.first?.createdAt
        try registry.setAlias("demo", to: temp.path("f"))
        #expect(registry.aliases.first?.createdAt == created)
        do {
            try registry.setAlias("demo", to: temp.path("other"))
            Issue.record("an alias was silently rebound")
        } catch {
            #expect(error.code == .aliasExists)
            #expect(error.remedy == .overwrite)
        }
        try registry.setAlias("demo", to: temp.path("other"), overwrite: true)
        #expect(try registry.location(ofAlias: "demo") == base + "/other")
        try folio.setAlias("b-folio", registry: registry)
        #expect(registry.aliases.map(\.name) == ["b-folio", "demo"])
        #expect(registry.aliases(of: temp.path("f")) == ["b-folio"])
        try registry.removeAlias("demo")
        #expect(throws: DataFolioError.self) { try registry.removeAlias("demo") }
        do {
            _ = try registry.location(ofAlias: "b-foli")
            Issue.record("an unknown alias resolved")
        } catch {
            #expect(error.code == .aliasNotFound)
            #expect(error.problem.contains("Known aliases: b-folio."))
            #expect(error.remedy == .registerAlias)
        }
        for bad in ["", " x", "a/b", "a b", "é", String(repeating: "a", count: 101)] {
            #expect(throws: DataFolioError.self, "'\(bad)' accepted") { try registry.setAlias(bad, to: temp.path("f")) }
        }
    }

    @Test func locationsAreNormalizedAsPythonDoes() throws {
        let temp = TemporaryFolder("registry-paths")
        let base = FolioRegistry.normalizedLocation(temp.path)
        try FileManager.default.createDirectory(atPath: temp.path("real/inner"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: temp.path("link"), withDestinationPath: temp.path("real"))
        try FileManager.default.createSymbolicLink(atPath: temp.path("relative"), withDestinationPath: "real/inner")
        #expect(FolioRegistry.normalizedLocation(temp.path("link/inner")) == base + "/real/inner")
        #expect(FolioRegistry.normalizedLocation(temp.path("link/../real/./inner/")) == base + "/real/inner")
        #expect(FolioRegistry.normalizedLocation(temp.path("link/missing/x")) == base + "/real/missing/x")
        #expect(FolioRegistry.normalizedLocation(temp.path("relative/..")) == base + "/real")
        #expect(FolioRegistry.normalizedLocation("file://" + temp.path("link")) == base + "/real")
        #expect(FolioRegistry.normalizedLocation("s3://bucket/folio//") == "s3://bucket/folio")
        #expect(FolioRegistry.normalizedLocation("https://host/a/") == "https://host/a")
        let home = FolioRegistry.homeFolder
        #expect(FolioRegistry.normalizedLocation("~") == FolioRegistry.normalizedLocation(home))
        #expect(FolioRegistry.normalizedLocation("relative/x") == FolioRegistry.normalizedLocation(FileManager.default.currentDirectoryPath + "/relative/x"))
        #expect(FolioRegistry(home: "~/custom").home == home + "/custom")
    }

    @Test func recentsAreOrderedDeduplicatedCappedAndForgotten() throws {
        let temp = TemporaryFolder("registry-recent")
        let registry = FolioRegistry(home: temp.path("home"))
        let base = FolioRegistry.normalizedLocation(temp.path)
        for index in 0..<55 { registry.recordRecent(temp.path("f\(index)")) }
        registry.recordRecent(temp.path("f10"))
        let recents = registry.recents
        #expect(recents.count == FolioRegistry.recentLimit)
        #expect(recents.first?.location == base + "/f10")
        #expect(recents.dropFirst().first?.location == base + "/f54")
        #expect(recents.filter { $0.location == base + "/f10" }.count == 1)
        #expect(!recents.contains { $0.location == base + "/f4" }, "the least recent are dropped")
        #expect(try registry.forget(temp.path("f10")))
        #expect(try !registry.forget(temp.path("f10")))
        #expect(registry.recents.count == 49)
    }

    @Test func knownFoliosComeAliasesFirstThenRecents() throws {
        let temp = TemporaryFolder("registry-known")
        let registry = FolioRegistry(home: temp.path("home"))
        let base = FolioRegistry.normalizedLocation(temp.path)
        for name in ["a", "b", "c"] { _ = try DataFolio(at: temp.path(name)) }
        registry.recordRecent(temp.path("c"))
        registry.recordRecent(temp.path("a"))
        registry.recordRecent(temp.path("b"))
        try registry.setAlias("zeta", to: temp.path("a"))
        try registry.setAlias("alpha", to: temp.path("a"))
        try registry.setAlias("remote", to: "s3://bucket/folio")
        let known = registry.folios()
        #expect(known.map(\.alias) == ["alpha", "remote", nil, nil])
        #expect(known.map(\.location) == [base + "/a", "s3://bucket/folio", base + "/b", base + "/c"])
        #expect(known.map(\.exists) == [true, nil, true, true])
        #expect(known.first?.lastAccessed != nil)
        #expect(registry.folios(aliasesOnly: true).count == 2)
        // Pruning drops missing local folders, never remote ones.
        try FileManager.default.removeItem(atPath: temp.path("a"))
        #expect(try registry.prune() == [base + "/a"])
        #expect(registry.aliases.map(\.name) == ["remote"])
        #expect(registry.folios().map(\.location) == ["s3://bucket/folio", base + "/b", base + "/c"])
        #expect(try registry.prune() == [])
    }

    @Test func theFileIsWrittenAsPythonWritesIt() throws {
        let temp = TemporaryFolder("registry-file")
        let registry = FolioRegistry(home: temp.path("home"))
        try registry.setAlias("demo", to: "gs://bucket/demo")
        let text = try String(contentsOfFile: registry.file, encoding: .utf8)
        let parsed = try JSONValue(parsing: text)
        let createdAt = try #require(parsed["aliases"]?["demo"]?["created_at"]?.stringValue)
        #expect(text == """
            {
              "version": 1,
              "aliases": {
                "demo": {
                  "path": "gs://bucket/demo",
                  "created_at": "\(createdAt)"
                }
              },
              "recent": []
            }
            """)
        #expect(createdAt.hasSuffix("+00:00"))
        let attributes = try FileManager.default.attributesOfItem(atPath: registry.file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(FileManager.default.fileExists(atPath: registry.file + ".lock"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: registry.home).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func unknownKeysSurviveAndDamageReadsAsEmpty() throws {
        let temp = TemporaryFolder("registry-keys")
        let registry = FolioRegistry(home: temp.path("home"))
        try FileManager.default.createDirectory(atPath: registry.home, withIntermediateDirectories: true)
        try Data(#"{"version": 1, "aliases": {"x": {"path": "/p", "created_at": "t", "note": 1}, "bad": 3}, "recent": [7, {"path": "/r"}], "extra": true}"#.utf8)
            .write(to: URL(fileURLWithPath: registry.file))
        #expect(registry.aliases.map(\.name) == ["x"])
        #expect(registry.recents.map(\.location) == ["/r"])
        try registry.setAlias("y", to: "s3://b/y")
        let data = registry.read()
        #expect(data["extra"] == true)
        #expect(data["aliases"]?["x"]?["note"] == 1)
        #expect(data.keys == ["version", "aliases", "recent", "extra"])
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: registry.file))
        #expect(registry.aliases.isEmpty)
        #expect(registry.folios().isEmpty)
        try registry.setAlias("z", to: "s3://b/z")
        #expect(registry.aliases.map(\.name) == ["z"])
    }

    @Test func concurrentWritersLoseNothing() throws {
        let temp = TemporaryFolder("registry-concurrent")
        let registry = FolioRegistry(home: temp.path("home"))
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            _ = try? registry.setAlias("a\(index)", to: "s3://bucket/f\(index)")
            registry.recordRecent("s3://bucket/r\(index)")
        }
        #expect(registry.aliases.count == 40)
        #expect(registry.recents.count == 40)
    }
}
