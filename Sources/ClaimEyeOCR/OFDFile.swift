import CLeptonica
import ClaimEyeCore
import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An OFD document (GB/T 33190): a zip of XML. Its pages' text objects give their words
/// with positions (engine `ofd-text`); a page that its images cover by half or more is
/// a scan, and its largest image is OCR'd. The signature is reported (present or not),
/// not verified. Everything is read into memory, never onto disk, within limits that stop
/// a zip bomb; an entry or a reference that climbs out of the archive (`../`, `/..`) is
/// refused, and XML entities are never resolved.
final class OFDFile {
    let path: String
    private let archive: Archive
    /// Where each page's content is, in order.
    private(set) var pages: [String] = []
    /// The document's default page size (CommonData's PageArea) and its templates by ID.
    private var defaultBox = (0.0, 0.0, 210.0, 297.0)
    private var templates: [String: String] = [:]
    /// Each page as parsed, on first use: a page is read only when it is asked for.
    private var parsed: [Int: Page] = [:]
    /// Whether the document declares a signature (`Signatures` in OFD.xml).
    private(set) var signed = false
    /// Image resources by ID: the path of their file in the archive.
    private var media: [String: String] = [:]
    /// Bytes read so far, against `OFDFile.totalLimit`.
    private var bytesRead = 0

    struct Page {
        var content: XMLElement
        var templates: [String]
        /// PhysicalBox in millimetres.
        var width: Double
        var height: Double
    }

    /// The most one XML part or image may hold once inflated, and all of them together.
    static let entryLimit = 64 << 20
    static let totalLimit = 256 << 20
    /// The most entries an archive may list.
    static let entryCountLimit = 20_000

    /// Whether the file starts as a zip does: an OFD, or a damaged one, or another zip
    /// (which `init` refuses for having no OFD.xml).
    static func hasSignature(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    init(path: String) throws {
        self.path = path
        func malformed(_ why: String) -> OCRError { .corruptDocument(path: path, kind: "OFD", reason: why) }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw malformed("not a readable zip archive")
        }
        var count = 0
        for entry in archive {
            count += 1
            if count > OFDFile.entryCountLimit { throw malformed("more than \(OFDFile.entryCountLimit) entries") }
            if OFDFile.climbsOut(entry.path) { throw OCRError.unsafeArchive(path: path, entry: entry.path) }
            if entry.uncompressedSize > UInt64(OFDFile.entryLimit) {
                throw OCRError.unsafeArchive(path: path, entry: "\(entry.path) inflates to \(entry.uncompressedSize) bytes")
            }
        }
        guard archive["OFD.xml"] != nil else { throw malformed("a zip without OFD.xml: not an OFD document") }
        let root = try xml("OFD.xml")
        guard let body = root.first("DocBody"), let docRoot = body.first("DocRoot")?.text else { throw malformed("OFD.xml names no document") }
        let documentPath = try resolve(docRoot, from: "")
        let document = try xml(documentPath)
        let folder = (documentPath as NSString).deletingLastPathComponent
        let common = document.first("CommonData")
        defaultBox = OFDFile.box(common?.first("PageArea")?.first("PhysicalBox")?.text) ?? defaultBox
        var templates: [String: String] = [:]
        for template in common?.all("TemplatePage") ?? [] {
            if let id = template["ID"], let location = template["BaseLoc"] { templates[id] = try resolve(location, from: folder) }
        }
        var media: [String: String] = [:]
        for resource in (common?.all("PublicRes") ?? []) + (common?.all("DocumentRes") ?? []) {
            let resourcePath = try resolve(resource.text, from: folder)
            guard archive[resourcePath] != nil else { continue }
            let res = try xml(resourcePath)
            let base = try resolve(res["BaseLoc"] ?? "", from: (resourcePath as NSString).deletingLastPathComponent)
            for item in res.first("MultiMedias")?.all("MultiMedia") ?? [] {
                if let id = item["ID"], let file = item.first("MediaFile")?.text { media[id] = try resolve(file, from: base) }
            }
        }
        var pages: [String] = []
        for page in document.first("Pages")?.all("Page") ?? [] {
            guard let location = page["BaseLoc"] else { throw malformed("a page without BaseLoc") }
            pages.append(try resolve(location, from: folder))
        }
        guard !pages.isEmpty else { throw malformed("no pages") }
        self.pages = pages
        self.templates = templates
        self.media = media
        self.signed = body.first("Signatures") != nil
    }

    /// True for an archive path that leaves the archive's root.
    static func climbsOut(_ path: String) -> Bool {
        var depth = 0
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
            if depth < 0 { return true }
        }
        return path.hasPrefix("\\") || path.contains("\\..")
    }

    /// `location` (absolute from the root when it starts with `/`, else relative to
    /// `folder`) as an archive path; one that leaves the archive is refused.
    private func resolve(_ location: String, from folder: String) throws -> String {
        let trimmed = location.trimmingCharacters(in: .whitespacesAndNewlines)
        let joined = trimmed.hasPrefix("/") ? String(trimmed.dropFirst()) : (folder.isEmpty ? trimmed : folder + "/" + trimmed)
        if OFDFile.climbsOut(joined) { throw OCRError.unsafeArchive(path: path, entry: location) }
        var parts: [Substring] = []
        for part in joined.split(separator: "/") where part != "." {
            if part == ".." { parts.removeLast() } else { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }

    /// An entry's bytes, inflated within the limits.
    private func read(_ entryPath: String) throws -> Data {
        // Some writers name a folder DOC_0 in the zip and Doc_0 in the XML.
        guard let entry = archive[entryPath] ?? archive.first(where: { $0.path.lowercased() == entryPath.lowercased() }) else {
            throw OCRError.corruptDocument(path: path, kind: "OFD", reason: "\(entryPath) is missing")
        }
        var data = Data()
        let limit = min(OFDFile.entryLimit, OFDFile.totalLimit - bytesRead)
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                // The size an entry declares is not trusted: what it inflates to is counted.
                if data.count > limit { throw OCRError.unsafeArchive(path: self.path, entry: "\(entryPath) inflates past \(limit) bytes") }
            }
        } catch let error as OCRError {
            throw error
        } catch {
            throw OCRError.corruptDocument(path: path, kind: "OFD", reason: "\(entryPath) cannot be inflated")
        }
        bytesRead += data.count
        return data
    }

    private func xml(_ entryPath: String) throws -> XMLElement {
        guard let element = XMLTree.parse(try read(entryPath)) else {
            throw OCRError.corruptDocument(path: path, kind: "OFD", reason: "\(entryPath) is not well-formed XML")
        }
        return element
    }

    /// Four numbers `x y width height` (a Boundary, a PhysicalBox).
    private static func rectangle(_ text: String?) -> (Double, Double, Double, Double)? {
        let numbers = (text ?? "").split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        return numbers.count == 4 ? (numbers[0], numbers[1], numbers[2], numbers[3]) : nil
    }

    /// A rectangle with an area.
    private static func box(_ text: String?) -> (Double, Double, Double, Double)? {
        rectangle(text).flatMap { $0.2 > 0 && $0.3 > 0 ? $0 : nil }
    }

    // MARK: - Pages

    /// Pixels at the reading resolution per millimetre.
    static let scale = Double(PDFFile.dpi) / 25.4

    /// Page `index`: its content, its size (its own PhysicalBox, else the document's) and
    /// the templates under it.
    private func page(_ index: Int) throws -> Page {
        if let known = parsed[index] { return known }
        let content = try xml(pages[index])
        let box = OFDFile.box(content.first("Area")?.first("PhysicalBox")?.text) ?? defaultBox
        let under = content.all("Template").compactMap { $0["TemplateID"].flatMap { templates[$0] } }
        let page = Page(content: content, templates: under, width: box.2, height: box.3)
        parsed[index] = page
        return page
    }

    func pixelSize(of index: Int) throws -> (width: Int, height: Int) {
        let page = try page(index)
        return (Int((page.width * OFDFile.scale).rounded()), Int((page.height * OFDFile.scale).rounded()))
    }

    /// The page's objects: its templates' first, then its own. Handed to
    /// `scanImage(in:page:whatever:)` and `text(of:)`.
    func objects(_ index: Int) throws -> [XMLElement] {
        let page = try page(index)
        let layers = try page.templates.map { try xml($0) } + [page.content]
        return layers.flatMap { $0.first("Content")?.all("Layer").flatMap(\.children) ?? [] }
    }

    /// The largest image of a page that its images cover by half or more (a scan), or of
    /// any page when `whatever` (a page without text is read from its picture).
    func scanImage(in objects: [XMLElement], page index: Int, whatever: Bool = false) throws -> XMLElement? {
        let images = objects.filter { $0.name == "ImageObject" }.map { image in
            (image: image, area: OFDFile.box(image["Boundary"]).map { $0.2 * $0.3 } ?? 0)
        }
        let covered = images.reduce(0) { $0 + $1.area }
        let page = try page(index)
        guard whatever || covered >= PDFFile.scanCoverage * page.width * page.height else { return nil }
        return images.max { $0.area < $1.area }?.image
    }

    /// A scanned page's image, decoded (PNG, JPEG or TIFF), its resolution set from the
    /// size it is drawn at.
    func decodeScan(_ index: Int) throws -> PixImage {
        guard let image = try scanImage(in: try objects(index), page: index, whatever: true), let id = image["ResourceID"], let file = media[id] else {
            throw OCRError.corruptDocument(path: path, kind: "OFD", reason: "page \(index + 1) holds neither text nor a readable image")
        }
        let bytes = try read(file)
        let pix = bytes.withUnsafeBytes { raw in
            pixReadMem(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
        }
        guard let decoded = PixImage(pix) else {
            throw OCRError.corruptDocument(path: path, kind: "OFD", reason: "page \(index + 1): its image \(file) is not a PNG, JPEG or TIFF")
        }
        if let width = OFDFile.box(image["Boundary"])?.2, width > 0 {
            decoded.setResolution(Int((Double(decoded.width) / (width / 25.4)).rounded()))
        }
        return decoded
    }

    /// The page's own text as lines of words, boxes in pixels at the reading resolution;
    /// nil when the page holds no text.
    func text(of objects: [XMLElement]) -> [OCRLine]? {
        var glyphs: [TextGlyph] = []
        for object in objects where object.name == "TextObject" {
            // A text object's Boundary may have no size: only its origin places the text.
            guard let boundary = OFDFile.rectangle(object["Boundary"]) else { continue }
            let size = Double(object["Size"] ?? "") ?? 3.5
            let ctm = (object["CTM"] ?? "").split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            let matrix = ctm.count == 6 ? ctm : [1, 0, 0, 1, 0, 0]
            var x = 0.0, y = 0.0
            for code in object.all("TextCode") {
                x = Double(code["X"] ?? "") ?? x
                y = Double(code["Y"] ?? "") ?? y
                let deltas = OFDFile.deltas(code["DeltaX"])
                for (i, scalar) in code.text.unicodeScalars.enumerated() {
                    let advance = i < deltas.count ? deltas[i] : size * (scalar.value > 0x2E80 ? 1 : 0.5)
                    // The object's CTM maps its own space into the boundary's.
                    let left = boundary.0 + matrix[0] * x + matrix[2] * y + matrix[4]
                    let baseline = boundary.1 + matrix[1] * x + matrix[3] * y + matrix[5]
                    let height = size * abs(matrix[3] == 0 ? 1 : matrix[3])
                    let width = advance * abs(matrix[0] == 0 ? 1 : matrix[0])
                    let s = OFDFile.scale
                    glyphs.append(TextGlyph(scalar: scalar, box: BoundingBox(
                        left: Int((left * s).rounded(.down)), top: Int(((baseline - 0.85 * height) * s).rounded(.down)),
                        right: Int(((left + min(width, height)) * s).rounded(.up)), bottom: Int(((baseline + 0.15 * height) * s).rounded(.up)))))
                    x += advance
                }
                glyphs.append(TextGlyph(scalar: "\n", box: BoundingBox(x: 0, y: 0, width: 0, height: 0)))
            }
        }
        let lines = TextGlyph.lines(glyphs)
        return lines.isEmpty ? nil : lines
    }


    /// DeltaX: numbers, and `g N d` for N times d.
    static func deltas(_ text: String?) -> [Double] {
        var out: [Double] = []
        var words = (text ?? "").split(whereSeparator: \.isWhitespace).map(String.init)[...]
        while let word = words.popFirst() {
            if word == "g", let count = words.popFirst().flatMap(Int.init), let value = words.popFirst().flatMap(Double.init) {
                out += Array(repeating: value, count: max(0, min(count, 100_000)))
            } else if let value = Double(word) {
                out.append(value)
            }
        }
        return out
    }
}

/// An XML element: its local name (without the `ofd:` prefix), attributes, text and
/// children. Built by Foundation's parser, which is told not to resolve external
/// entities; a document whose DTD declares any entity is refused outright.
final class XMLElement {
    let name: String
    let attributes: [String: String]
    fileprivate(set) var text = ""
    fileprivate(set) var children: [XMLElement] = []

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(attribute: String) -> String? { attributes[attribute] }
    func first(_ child: String) -> XMLElement? { children.first { $0.name == child } }
    func all(_ child: String) -> [XMLElement] { children.filter { $0.name == child } }
}

enum XMLTree {
    static func parse(_ data: Data) -> XMLElement? {
        // An entity declaration is how an XML file reaches outside itself or multiplies
        // itself; OFD has no use for one.
        if data.range(of: Data("<!ENTITY".utf8)) != nil { return nil }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLElement?
        var stack: [XMLElement] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            let element = XMLElement(name: local, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
