/// Everything a claimant's statement shows: the settlement, the lines as read, their
/// catalogue matches, the audit's findings and the scanned pages.
public struct Statement: Hashable, Sendable {
    /// The claim's settlement: context, terms, every line's split and the totals.
    public var settlement: ClaimSettlement
    /// The parsed line items, by claim-wide index (`items[i]` is settlement line `i`).
    public var items: [LineItem]
    /// The catalogue entry each line was matched to (nil: none), by the same index.
    public var entries: [CatalogueEntry?]
    /// The audit's findings for the claim.
    public var flags: [AuditFlag]
    /// The scanned pages in order.
    public var pages: [StatementPage]

    public init(
        settlement: ClaimSettlement, items: [LineItem], entries: [CatalogueEntry?] = [], flags: [AuditFlag] = [],
        pages: [StatementPage] = []
    ) {
        self.settlement = settlement
        self.items = items
        self.entries = entries
        self.flags = flags
        self.pages = pages
    }

    /// `needs_review` when the settlement holds lines or an audit flag blocks the claim,
    /// otherwise `settled`.
    public var status: ClaimSettlement.Status {
        settlement.status == .needsReview || flags.blocksSettlement ? .needsReview : .settled
    }

    /// The lines any flag names.
    public var flaggedLines: Set<Int> { Set(flags.compactMap(\.lineIndex)) }
}

/// One scanned page as the statement draws it.
public struct StatementPage: Hashable, Sendable {
    /// Where one line item stands on the page, in the image's pixel coordinates.
    public struct LineBox: Hashable, Sendable {
        /// The line's claim-wide index.
        public var lineIndex: Int
        public var box: BoundingBox

        public init(lineIndex: Int, box: BoundingBox) {
            self.lineIndex = lineIndex
            self.box = box
        }
    }

    /// The page's name as the claim gives it (its file name).
    public var name: String
    /// The page image as a data URI (`data:image/png;base64,…`), or nil when the image
    /// is not at hand; anything but an inline image is ignored.
    public var imageDataURI: String?
    /// The image's size in pixels: the coordinate space of `lines`.
    public var width: Int
    public var height: Int
    /// The boxes of the page's line items.
    public var lines: [LineBox]
    /// How the page was read, for the reader ("read from the document's own text",
    /// "read by OCR …"); nil when not said.
    public var readBy: String?

    public init(name: String, imageDataURI: String?, width: Int, height: Int, lines: [LineBox], readBy: String? = nil) {
        self.name = name
        self.imageDataURI = imageDataURI
        self.width = width
        self.height = height
        self.lines = lines
        self.readBy = readBy
    }

    /// A page's boxes straight from the parser's items, for an image that is the page as
    /// OCR saw it (no rotation, deskew or scaling: `PageGeometry` of 0°, 0, 1000‰).
    public init(name: String, imageDataURI: String?, width: Int, height: Int, items: [LineItem], page: Int, readBy: String? = nil) {
        self.init(
            name: name, imageDataURI: imageDataURI, width: width, height: height,
            lines: items.filter { $0.page == page }.compactMap { item in
                item.box.map { LineBox(lineIndex: item.index, box: $0) }
            }, readBy: readBy)
    }
}
