#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension LocalPaths {
    /// `path` made absolute with every symbolic link resolved, like Python's
    /// `Path.resolve()` (not strict): the part that does not exist is appended as it is,
    /// and `..` applies to the resolved path before it.
    static func resolved(_ path: String) -> String {
        var full = path
        if !full.hasPrefix("/") { full = FileManager.default.currentDirectoryPath + "/" + full }
        var links = 0
        return resolve(Array(full.split(separator: "/").map(String.init)), from: "", links: &links)
    }

    private static func resolve(_ components: [String], from base: String, links: inout Int) -> String {
        var resolved = base
        var index = 0
        while index < components.count {
            let component = components[index]
            index += 1
            if component.isEmpty || component == "." { continue }
            if component == ".." {
                if let slash = resolved.lastIndex(of: "/") { resolved = String(resolved[..<slash]) }
                continue
            }
            let candidate = resolved + "/" + component
            var info = stat()
            guard lstat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, links < 40,
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate)
            else {
                resolved = candidate
                continue
            }
            links += 1
            let parts = target.split(separator: "/").map(String.init)
            resolved = resolve(parts, from: target.hasPrefix("/") ? "" : resolved, links: &links)
        }
        return resolved.isEmpty ? "/" : resolved
    }
}
