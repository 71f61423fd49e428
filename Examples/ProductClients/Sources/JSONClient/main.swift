import DataFolioJSON
import Foundation

struct Settings: Codable, Equatable {
    var seed: Int
    var layers: [Int]
}

// Codable ⇄ JSONValue, and a refusal of non-finite numbers the caller can catch.
do {
    let settings = Settings(seed: 7, layers: [64, 32])
    let value = try JSONValue(encoding: settings)
    guard try value.decode(as: Settings.self) == settings else {
        print("JSONClient: the settings read back differ")
        exit(1)
    }
    do {
        _ = try JSONValue(encoding: ["x": Double.nan])
        print("JSONClient: NaN was accepted")
        exit(1)
    } catch {
        print("JSONClient: ok (\(value.formatted(indented: false)); NaN refused: \(error.code))")
    }
} catch {
    print("JSONClient: \(error.localizedDescription)")
    exit(1)
}
