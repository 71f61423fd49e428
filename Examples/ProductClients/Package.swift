// swift-tools-version:6.0
import PackageDescription

// One tiny program per library product of DataFolio, each depending on that product
// alone: building them proves every product is usable on its own, through its public
// API only (the `package`-level internals of the main package are invisible here).
//
//     swift build --package-path Examples/ProductClients && scripts/check-product-clients.sh
var clients: [(name: String, product: String)] = [
    ("FolioClient", "DataFolio"),
    ("ParquetClient", "DataFolioParquet"),
    ("ArrowClient", "DataFolioArrow"),
    ("TableClient", "DataFolioTable"),
    ("NumPyClient", "DataFolioNumPy"),
    ("TensorsClient", "DataFolioTensors"),
    ("JSONClient", "DataFolioJSON"),
    ("CompressionClient", "DataFolioCompression"),
    ("ZipClient", "DataFolioZip"),
    ("ReportClient", "DataFolioReport"),
]
// DataFolioS3 exists only when the package is built with its networking dependencies.
if Context.environment["DATAFOLIO_WITHOUT_NETWORK"] != "1" {
    clients.append(("S3Client", "DataFolioS3"))
}

let package = Package(
    name: "ProductClients",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "DataFolio", path: "../..")],
    targets: clients.map { client in
        .executableTarget(name: client.name, dependencies: [.product(name: client.product, package: "DataFolio")])
    },
    swiftLanguageModes: [.v6]
)
