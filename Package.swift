// swift-tools-version:6.0
import PackageDescription

// Layers, one direction of dependency:
//   datafolio (CLI) → DataFolioS3 (remote stores) → DataFolio (the folio) → format modules → DataFolioSupport
// A format module never imports DataFolio, so each can be used on its own, and the
// folio itself never imports the networking packages.
let package = Package(
    name: "DataFolio",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "DataFolio", targets: ["DataFolio"]),
        .library(name: "DataFolioParquet", targets: ["DataFolioParquet"]),
        .library(name: "DataFolioArrow", targets: ["DataFolioArrow"]),
        .library(name: "DataFolioTable", targets: ["DataFolioTable"]),
        .library(name: "DataFolioNumPy", targets: ["DataFolioNumPy"]),
        .library(name: "DataFolioTensors", targets: ["DataFolioTensors"]),
        .library(name: "DataFolioJSON", targets: ["DataFolioJSON"]),
        .library(name: "DataFolioCompression", targets: ["DataFolioCompression"]),
        .library(name: "DataFolioZip", targets: ["DataFolioZip"]),
        .library(name: "DataFolioReport", targets: ["DataFolioReport"]),
        .executable(name: "datafolio", targets: ["DataFolioCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        // `swift package generate-documentation` (scripts/check-docs.sh); it adds no code
        // to any product.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Shared by every format module: the error type, bounds-checked byte cursors,
        // checksums and file I/O helpers.
        .target(name: "DataFolioSupport"),
        // Ordered JSON values, the orjson-style writer and Codable bridges.
        .target(name: "DataFolioJSON", dependencies: ["DataFolioSupport"]),
        // Snappy, Zstandard, DEFLATE (gzip/zlib) and LZ4 codecs in pure Swift.
        .target(name: "DataFolioCompression", dependencies: ["DataFolioSupport"]),
        // ZIP archives (the container of .npz and PyTorch .pt files).
        .target(name: "DataFolioZip", dependencies: ["DataFolioSupport", "DataFolioCompression"]),
        // NDArray ⇄ .npy / .npz.
        .target(name: "DataFolioNumPy", dependencies: ["DataFolioSupport", "DataFolioZip"]),
        // The Table value type, batch readers and writers, CSV, JSON rows, row filters,
        // Codable rows and the JSON form of cells.
        .target(name: "DataFolioTable", dependencies: ["DataFolioSupport", "DataFolioJSON"]),
        // Arrow IPC (.arrow, .feather, streams) → tables, and the FlatBuffers code Arrow metadata uses.
        .target(
            name: "DataFolioArrow",
            dependencies: ["DataFolioSupport", "DataFolioTable", "DataFolioCompression", "DataFolioJSON"]),
        // Table ⇄ .parquet.
        .target(
            name: "DataFolioParquet",
            dependencies: ["DataFolioSupport", "DataFolioTable", "DataFolioCompression", "DataFolioJSON", "DataFolioArrow"]),
        // Tensor dictionaries ⇄ safetensors and PyTorch .pt (data-only pickle).
        .target(
            name: "DataFolioTensors",
            dependencies: ["DataFolioSupport", "DataFolioNumPy", "DataFolioZip", "DataFolioJSON"]),
        // The folio: catalog, item kinds, snapshots, lineage, storage.
        .target(
            name: "DataFolio",
            dependencies: [
                "DataFolioSupport", "DataFolioJSON", "DataFolioNumPy", "DataFolioTable",
                "DataFolioParquet", "DataFolioTensors",
                .product(name: "SystemPackage", package: "swift-system"),
            ]),
        // A self-contained HTML report of a folio and lineage drawings (layered layout, SVG).
        // Only ReportModel+Folio.swift reads the folio; the rest works on plain values.
        .target(
            name: "DataFolioReport",
            dependencies: [
                "DataFolio", "DataFolioSupport", "DataFolioJSON", "DataFolioNumPy", "DataFolioTable",
                "DataFolioParquet", "DataFolioTensors",
            ]),
        // The `datafolio` command.
        .executableTarget(
            name: "DataFolioCLI",
            dependencies: [
                "DataFolio", "DataFolioReport", "DataFolioArrow",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Side-by-side timings against the Python tools.
        .executableTarget(name: "DataFolioBenchmarks", dependencies: ["DataFolio", "DataFolioSupport", "DataFolioArrow", "DataFolioTable"]),

        // Helpers shared by the test targets: the Python interop runner, temporary folders.
        .target(name: "DataFolioTestSupport", path: "Tests/DataFolioTestSupport"),
        // A writer process for the multi-process tests.
        .executableTarget(name: "DataFolioTestWriter", dependencies: ["DataFolio"], path: "Tests/DataFolioTestWriter"),
        .testTarget(name: "DataFolioSupportTests", dependencies: ["DataFolioSupport", "DataFolioTestSupport"]),
        .testTarget(name: "DataFolioJSONTests", dependencies: ["DataFolioJSON", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioCompressionTests", dependencies: ["DataFolioCompression", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioZipTests", dependencies: ["DataFolioZip", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioNumPyTests", dependencies: ["DataFolioNumPy", "DataFolioZip", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioTableTests", dependencies: ["DataFolioTable", "DataFolioTestSupport"]),
        .testTarget(name: "DataFolioArrowTests", dependencies: ["DataFolioArrow", "DataFolioCompression", "DataFolioTable", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioParquetTests", dependencies: ["DataFolioParquet", "DataFolioTable", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioTensorsTests", dependencies: ["DataFolioTensors", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioTests", dependencies: ["DataFolio", "DataFolioTestSupport"]),
        .testTarget(name: "DataFolioCLITests", dependencies: ["DataFolio", "DataFolioTestSupport"]),
        // The README's and the DocC articles' examples, compiled and run.
        .testTarget(
            name: "DataFolioDocumentationTests",
            dependencies: [
                "DataFolio", "DataFolioCompression", "DataFolioZip", "DataFolioReport", "DataFolioTestSupport",
            ]),
        .testTarget(
            name: "DataFolioReportTests",
            dependencies: ["DataFolioReport", "DataFolio", "DataFolioCompression", "DataFolioTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Remote stores: the networking packages and the module built on them. Sanitizer runs
// (`DATAFOLIO_WITHOUT_NETWORK=1`, see .ci/sanitizers) leave them out, which keeps
// their from-scratch builds short; the command line then opens local folios only.
if Context.environment["DATAFOLIO_WITHOUT_NETWORK"] != "1" {
    package.dependencies += [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ]
    package.products.append(.library(name: "DataFolioS3", targets: ["DataFolioS3"]))
    package.targets += [
        // S3-compatible object stores and read-only HTTP(S): locations, credentials,
        // Signature V4, requests with retries, multipart uploads, and the folio stores
        // built on them (registered with DataFolio by `RemoteStorage.register()`). The only
        // module that depends on networking packages; DataFolio itself does not import it.
        .target(
            name: "DataFolioS3",
            dependencies: [
                "DataFolioSupport", "DataFolio",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Test servers for DataFolioS3: a SeaweedFS S3 server, a fault-injecting proxy and a
        // static HTTP server with ranges, all on loopback.
        .target(
            name: "DataFolioS3TestSupport", dependencies: ["DataFolioTestSupport"],
            path: "Tests/DataFolioS3TestSupport"),
        .testTarget(
            name: "DataFolioS3Tests",
            dependencies: [
                "DataFolioS3", "DataFolioSupport", "DataFolioTestSupport", "DataFolioS3TestSupport",
            ]),
        // Remote folios end to end: the library and the command on a real SeaweedFS and a
        // web server, interop with Python on the same bucket, faults, copies, the cache.
        .testTarget(
            name: "DataFolioRemoteTests",
            dependencies: [
                "DataFolio", "DataFolioS3", "DataFolioSupport", "DataFolioTestSupport", "DataFolioS3TestSupport",
            ]),
    ]
    // The command, the benchmarks and the test writer open remote folios when the module
    // is there (`#if canImport(DataFolioS3)` in their sources).
    for target in package.targets where ["DataFolioCLI", "DataFolioBenchmarks", "DataFolioTestWriter"].contains(target.name) {
        target.dependencies.append("DataFolioS3")
    }
}

// Runs that need only some test suites (the sanitizer runs of .ci/sanitizers) name the
// test targets that hold them, comma-separated, in `DATAFOLIO_TEST_TARGETS`: the other
// test targets and the benchmarks are left out, so a build from an empty folder compiles
// only what those suites run.
if let kept = Context.environment["DATAFOLIO_TEST_TARGETS"] {
    let names = Set(kept.split(separator: ",").map(String.init))
    package.targets.removeAll { target in
        target.name == "DataFolioBenchmarks" || (target.type == .test && !names.contains(target.name))
    }
}
