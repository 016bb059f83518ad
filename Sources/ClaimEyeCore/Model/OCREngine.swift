/// One page of an input file: the file's path and the page's zero-based index.
public struct PageReference: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var index: Int

    public init(path: String, index: Int = 0) {
        self.path = path
        self.index = index
    }

    public var description: String { index == 0 ? path : "\(path)[\(index)]" }
}

/// Something that turns a page into an `OCRPage`: Tesseract in production, recorded
/// results in tests. An engine instance is used by one worker at a time.
public protocol OCREngine {
    /// Recognises one page. Throws when the page cannot be read or recognised.
    func recognize(_ page: PageReference) throws -> OCRPage
}
