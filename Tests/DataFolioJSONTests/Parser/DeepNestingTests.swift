import DataFolioJSON
import DataFolioSupport
import Foundation
import Testing

@Suite("Deep nesting")
struct DeepNestingTests {
    static let depth = 512
    static let arrays = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
    static let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)

    /// Runs `body` on a thread with a small stack (macOS gives secondary threads 512 KB),
    /// so that any recursion proportional to the nesting depth crashes the test.
    func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 256 * 1024
        thread.start()
        done.wait()
    }

    @Test("512 levels parse, write, compare, hash and convert without deep recursion")
    func maximumDepthOnSmallStack() {
        nonisolated(unsafe) var results = [Bool]()
        onSmallStack {
            do {
                let arrays = try JSONValue(parsing: Self.arrays)
                let objects = try JSONValue(parsing: Self.objects)
                results.append(arrays.formatted(indented: false) == Self.arrays)
                results.append(objects.formatted(indented: false) == Self.objects)
                results.append(objects.formattedBytes().count > 512 * 512)
                let copy = try JSONValue(parsing: Self.objects)
                results.append(copy == objects)
                results.append(copy.hashValue == objects.hashValue)
                results.append(copy != arrays)
                results.append(try JSONValueDecoder().decode(JSONValue.self, from: objects) == objects)
                results.append(try JSONValueEncoder().encode(objects) == objects)
            } catch {
                results.append(false)
            }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test("one level more than the limit is refused with limitExceeded")
    func beyondLimit() {
        for text in [
            "[" + Self.arrays + "]",
            #"{"b":"# + Self.objects + "}",
            String(repeating: "[", count: 100_000),
            String(repeating: #"{"a":["#, count: 50_000),
        ] {
            #expect {
                try JSONValue(parsing: text)
            } throws: { error in
                let error = error as? DataFolioError
                return error?.code == .limitExceeded && error?.message.contains("deeper than 512 levels") == true
            }
        }
    }

    @Test("the limit is configurable")
    func configurableLimit() throws {
        let options = JSONParsingOptions(maximumDepth: 2, sourceName: "settings.json")
        #expect(try JSONValue(parsing: "[[1]]", options: options) == [[1]])
        #expect(try JSONValue(parsing: #"{"a": {"b": 1}}"#, options: options) == ["a": ["b": 1]])
        #expect(throws: DataFolioError.self) { try JSONValue(parsing: "[[[1]]]", options: options) }
        do {
            _ = try JSONValue(parsing: #"{"a": [{}]}"#, options: options)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .limitExceeded)
            #expect(error.message.contains("settings.json"))
        }
        #expect(throws: DataFolioError.self) { try JSONValue(parsing: "[]", options: JSONParsingOptions(maximumDepth: 0)) }
        #expect(try JSONValue(parsing: "1", options: JSONParsingOptions(maximumDepth: 0)) == 1)
    }
}
