import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("The command line touches only what it is told to")
struct CLISafetyTests {
    func folio(_ temp: TemporaryFolder) throws -> [String] {
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("config", ["lr": 0.1, "layers": [64, 32]], description: "Settings")
        try folio.add("emb", try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float]))
        return ["-f", temp.path("f")]
    }

    func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    @Test func exportWritesToStandardOutputDevicesAndThroughLinks() throws {
        let temp = TemporaryFolder("cli-export")
        let f = try folio(temp)
        let stdout = try CLI.run(f + ["export", "config", "--to", "-"])
        #expect(stdout.status == 0)
        #expect(try JSONValue(parsing: stdout.stdout) == ["lr": 0.1, "layers": [64, 32]])
        #expect(stdout.stderr.contains("Exported config"), "the message goes to standard error, the content to standard output")
        #expect(try CLI.run(f + ["export", "emb", "--to", "/dev/null"]).status == 0)
        // A link is written through, never replaced by a file.
        let real = temp.path("real.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: temp.path("link.json"), withDestinationPath: real)
        let refused = try CLI.run(f + ["export", "config", "--to", temp.path("link.json")])
        #expect(refused.status == 1 && refused.stderr.contains("--force"))
        #expect(try CLI.run(f + ["export", "config", "--to", temp.path("link.json"), "--force"]).status == 0)
        #expect(isLink(temp.path("link.json")))
        #expect(try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: real)))) == ["lr": 0.1, "layers": [64, 32]])
        // A FIFO is written to.
        let fifo = temp.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // A reader on the other end (a writer to a FIFO waits for one, as `cat > fifo` does).
        let reader = Thread {
            let fd = open(fifo, O_RDONLY)
            guard fd >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
            close(fd)
        }
        reader.start()
        #expect(try CLI.run(f + ["export", "emb", "--to", fifo]).status == 0)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "still a FIFO")
        // A regular file is replaced only with --force, in one step.
        let target = temp.path("emb.npy")
        #expect(try CLI.run(f + ["export", "emb", "--to", target]).status == 0)
        #expect(try CLI.run(f + ["export", "emb", "--to", target]).status == 1)
        #expect(try CLI.run(f + ["export", "emb", "--to", target, "--force"]).status == 0)
        #expect(try NDArray(contentsOfNPY: target).values(as: Float.self) == [1, 2, 3, 4])
    }

    @Test func exportChecksTheStoredBytes() throws {
        let temp = TemporaryFolder("cli-verify")
        let f = try folio(temp)
        let payload = try #require(try DataFolio(at: temp.path("f")).location(of: try DataFolio(at: temp.path("f")).item("emb")))
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: payload)))
        bytes[bytes.count - 1] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: payload))
        let refused = try CLI.run(f + ["export", "emb", "--to", temp.path("emb.npy")])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("MD5") && refused.stderr.contains("datafolio validate"))
        #expect(!FileManager.default.fileExists(atPath: temp.path("emb.npy")), "no half-checked file is left")
        #expect(try CLI.run(f + ["export", "emb", "--to", temp.path("emb.npy"), "--no-verify"]).status == 0)
    }

    @Test func remoteLocationsAreNotLocalFolders() throws {
        let temp = TemporaryFolder("cli-scheme")
        let result = try CLI.run(["init", "nowhere-scheme://lab/exp"], in: temp.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("nowhere-scheme://"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path).isEmpty)
    }

    @Test func addRefusesWhatCannotBeCopied() throws {
        let temp = TemporaryFolder("cli-add")
        let f = try folio(temp)
        #expect(try CLI.run(f + ["add", temp.path("f")]).status == 1)
        #expect(try CLI.run(f + ["add", temp.path]).stderr.contains("contains this folio"))
        #expect(try CLI.run(f + ["add", "/dev/zero", "--name", "zero"]).stderr.contains("FIFO, device or socket"))
        let fifo = temp.path("pipe.json")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(try CLI.run(f + ["add", fifo]).status == 1)
        try Data("png".utf8).write(to: URL(fileURLWithPath: temp.path("roc.png")))
        let reference = try CLI.run(f + ["add", temp.path("roc.png"), "--reference"])
        #expect(reference.status == 1 && reference.stderr.contains("--reference records tables only"))
        try Data(#"{"big": 123456789012345678901234567890}"#.utf8).write(to: URL(fileURLWithPath: temp.path("big.json")))
        let big = try CLI.run(f + ["add", temp.path("big.json")])
        #expect(big.status == 1 && big.stderr.contains("$.big"))
        #expect(Set(try DataFolio(at: temp.path("f")).itemNames) == ["config", "emb"])
    }

    @Test func inputsAreListsAndAreChecked() throws {
        let temp = TemporaryFolder("cli-inputs")
        let f = try folio(temp)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: temp.path("x.json")))
        let added = try CLI.run(f + ["add", temp.path("x.json"), "--inputs", "config, emb", "--inputs", "ghost"])
        #expect(added.status == 0)
        #expect(added.stderr.contains("ghost"), "unknown inputs are a warning")
        #expect(try DataFolio(at: temp.path("f")).inputs(of: "x") == ["config", "emb", "ghost"])
        let itself = try CLI.run(f + ["add", temp.path("x.json"), "--name", "y", "--inputs", "y"])
        #expect(itself.status == 1 && itself.stderr.contains("itself"))
    }

    @Test func messagesUseTheCommandLinesWords() throws {
        let temp = TemporaryFolder("cli-words")
        let f = try folio(temp)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: temp.path("config.json")))
        let exists = try CLI.run(f + ["add", temp.path("config.json")])
        #expect(exists.status == 1)
        #expect(exists.stderr.contains("--overwrite") && !exists.stderr.contains("overwrite: true"))
        try FileManager.default.createDirectory(atPath: temp.path("busy"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: temp.path("busy/notes.txt")))
        let busy = try CLI.run(["init", temp.path("busy")])
        #expect(busy.status == 1 && busy.stderr.contains("--allow-existing") && !busy.stderr.contains("allowExistingFolder"))
        #expect(try CLI.run(["init", temp.path("busy"), "--allow-existing"]).status == 0)
        let typo = try CLI.run(f + ["show", "confgi"])
        #expect(typo.stderr.contains("Did you mean 'config'?"))
        let command = try CLI.run(["shwo", "x"])
        #expect(command.status == 1 && command.stderr.contains("Did you mean 'show'?"))
        let nested = try CLI.run(["snapshot", "lst"])
        #expect(nested.stderr.contains("Did you mean 'list'?"))
        for result in [exists, busy, typo, command] {
            #expect(!result.stderr.contains("()"), "no API calls in \(result.stderr)")
        }
    }

    @Test func headTakesDashN() throws {
        let temp = TemporaryFolder("cli-head")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("t", try Table([Column(name: "i", (0..<50).map { Int64($0) })]))
        let head = try CLI.run(["-f", temp.path("f"), "head", "t", "-n", "3", "--json"])
        #expect(try JSONValue(parsing: head.stdout).arrayValue?.count == 3)
        #expect(try JSONValue(parsing: try CLI.run(["-f", temp.path("f"), "head", "t", "--rows", "4", "--json"]).stdout).arrayValue?.count == 4)
    }

    @Test func confirmationsAreNeededAndDecliningFails() throws {
        let temp = TemporaryFolder("cli-confirm")
        let f = try folio(temp)
        #expect(try CLI.run(f + ["snapshot", "create", "v1", "--no-git"]).status == 0)
        // Not a terminal: refused without --yes, and nothing changes.
        let restore = try CLI.run(f + ["snapshot", "restore", "v1"], input: "y\n")
        #expect(restore.status == 1 && restore.stderr.contains("--yes"))
        let delete = try CLI.run(f + ["delete", "config"], input: "y\n")
        #expect(delete.status == 1)
        #expect(try DataFolio(at: temp.path("f")).contains("config"))
    }
}
