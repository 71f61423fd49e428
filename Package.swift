// swift-tools-version:6.0
import PackageDescription

// Layers, one direction of dependency:
//   datafolio (CLI) → DataFolio (the folio) → format modules → DataFolioSupport
// A format module never imports DataFolio, so each can be used on its own.
let package = Package(
    name: "DataFolio",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "DataFolio", targets: ["DataFolio"]),
        .library(name: "DataFolioParquet", targets: ["DataFolioParquet"]),
        .library(name: "DataFolioNumPy", targets: ["DataFolioNumPy"]),
        .library(name: "DataFolioTensors", targets: ["DataFolioTensors"]),
        .library(name: "DataFolioJSON", targets: ["DataFolioJSON"]),
        .library(name: "DataFolioS3", targets: ["DataFolioS3"]),
        .executable(name: "datafolio", targets: ["DataFolioCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        // Networking, used by DataFolioS3 only.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
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
        // The Table value type, CSV, and Codable rows.
        .target(name: "DataFolioTable", dependencies: ["DataFolioSupport"]),
        // Table ⇄ .parquet.
        .target(
            name: "DataFolioParquet",
            dependencies: ["DataFolioSupport", "DataFolioTable", "DataFolioCompression", "DataFolioJSON"]),
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
        // S3-compatible object stores and read-only HTTP(S): locations, credentials,
        // Signature V4, requests with retries, multipart uploads, and the folio stores
        // built on them. The only module that depends on networking packages; DataFolio
        // itself does not import it.
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
        // The `datafolio` command.
        .executableTarget(
            name: "DataFolioCLI",
            dependencies: [
                "DataFolio", "DataFolioS3",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Side-by-side timings against the Python tools.
        .executableTarget(name: "DataFolioBenchmarks", dependencies: ["DataFolio", "DataFolioS3", "DataFolioSupport"]),

        // Helpers shared by the test targets: the Python interop runner, temporary folders.
        .target(name: "DataFolioTestSupport", path: "Tests/DataFolioTestSupport"),
        // Test servers for DataFolioS3: a SeaweedFS S3 server, a fault-injecting proxy and a
        // static HTTP server with ranges, all on loopback.
        .target(
            name: "DataFolioS3TestSupport", dependencies: ["DataFolioTestSupport"],
            path: "Tests/DataFolioS3TestSupport"),
        // A writer process for the multi-process tests.
        .executableTarget(name: "DataFolioTestWriter", dependencies: ["DataFolio", "DataFolioS3"], path: "Tests/DataFolioTestWriter"),
        .testTarget(name: "DataFolioSupportTests", dependencies: ["DataFolioSupport", "DataFolioTestSupport"]),
        .testTarget(name: "DataFolioJSONTests", dependencies: ["DataFolioJSON", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioCompressionTests", dependencies: ["DataFolioCompression", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioZipTests", dependencies: ["DataFolioZip", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioNumPyTests", dependencies: ["DataFolioNumPy", "DataFolioZip", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioParquetTests", dependencies: ["DataFolioParquet", "DataFolioTable", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioTensorsTests", dependencies: ["DataFolioTensors", "DataFolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataFolioTests", dependencies: ["DataFolio", "DataFolioTestSupport"]),
        .testTarget(name: "DataFolioCLITests", dependencies: ["DataFolio", "DataFolioTestSupport"]),
        // Remote folios end to end: the library and the command on a real SeaweedFS and a
        // web server, interop with Python on the same bucket, faults, copies, the cache.
        .testTarget(
            name: "DataFolioRemoteTests",
            dependencies: [
                "DataFolio", "DataFolioS3", "DataFolioSupport", "DataFolioTestSupport", "DataFolioS3TestSupport",
            ]),
        .testTarget(
            name: "DataFolioS3Tests",
            dependencies: [
                "DataFolioS3", "DataFolioSupport", "DataFolioTestSupport", "DataFolioS3TestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
