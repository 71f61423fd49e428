import DataFolioJSON
import DataFolioSupport
import Foundation

// Interim bridges until the JSON module's Codable support lands.
struct JSONValueEncoder {
    func encode<T: Encodable>(_ value: T) throws(DataFolioError) -> JSONValue {
        do {
            let data = try JSONEncoder().encode(value)
            return try JSONValue(parsing: [UInt8](data))
        } catch let error as DataFolioError {
            throw error
        } catch {
            throw DataFolioError(.typeMismatch, "\(error)")
        }
    }
}

struct JSONValueDecoder {
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(DataFolioError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(value.formattedBytes()))
        } catch {
            throw DataFolioError(.typeMismatch, "\(error)")
        }
    }
}
