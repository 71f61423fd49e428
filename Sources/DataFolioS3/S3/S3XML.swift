import DataFolioSupport
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: name (without namespace prefix), text and children. S3's answers
/// are small documents, so a tree is simpler than event handling per answer type.
struct XMLElement: Sendable {
    var name: String
    var text: String = ""
    var children: [XMLElement] = []

    /// The first child with this name.
    func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }
    /// Every child with this name.
    func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }
    /// The text of the first child with this name.
    func text(_ name: String) -> String? { child(name)?.text }

    /// Parses a document; nil when it is not well-formed XML.
    static func parse(_ bytes: [UInt8]) -> XMLElement? {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), builder.root != nil else { return nil }
        return builder.root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [XMLElement] = []
        var root: XMLElement?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            stack.append(XMLElement(name: elementName))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            guard let element = stack.popLast() else { return }
            if stack.isEmpty {
                root = element
            } else {
                stack[stack.count - 1].children.append(element)
            }
        }
    }
}

/// An S3 error answer: `<Error><Code>…</Code><Message>…</Message></Error>`.
struct S3ErrorBody: Sendable {
    var code: String
    var message: String
    /// The server's time, in `RequestTimeTooSkewed` answers.
    var serverTime: String?

    static func parse(_ bytes: [UInt8]) -> S3ErrorBody? {
        guard !bytes.isEmpty, let root = XMLElement.parse(bytes), root.name == "Error" else { return nil }
        return S3ErrorBody(code: root.text("Code") ?? "", message: root.text("Message") ?? "", serverTime: root.text("ServerTime"))
    }
}

/// Builds the small XML documents S3 requests carry.
enum S3XMLWriter {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Characters XML 1.0 cannot carry at all are written as character references;
                // S3 accepts them in keys only in this form.
                if character.value < 0x20 && character != "\t" && character != "\n" && character != "\r" {
                    out += "&#\(character.value);"
                } else {
                    out.unicodeScalars.append(character)
                }
            }
        }
        return out
    }

    static func completeMultipartUpload(_ parts: [(number: Int, etag: String)]) -> [UInt8] {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(escape(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        return Array(xml.utf8)
    }

    static func deleteObjects(_ keys: [String], quiet: Bool) -> [UInt8] {
        var xml = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>\(quiet)</Quiet>"
        for key in keys {
            xml += "<Object><Key>\(escape(key))</Key></Object>"
        }
        xml += "</Delete>"
        return Array(xml.utf8)
    }
}
