/// An axis-aligned box in page pixels, origin at the top left.
public struct BoundingBox: Codable, Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The box from its left, top, right and bottom edges.
    public init(left: Int, top: Int, right: Int, bottom: Int) {
        self.init(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var midX: Int { x + width / 2 }
    public var midY: Int { y + height / 2 }

    /// The smallest box holding both.
    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(
            left: min(x, other.x), top: min(y, other.y),
            right: max(maxX, other.maxX), bottom: max(maxY, other.maxY))
    }

    /// The box cut in two `offset` pixels from its left edge, each part at least a pixel
    /// wide (a word split where two words were read as one).
    public func divided(at offset: Int) -> (left: BoundingBox, right: BoundingBox) {
        (
            BoundingBox(x: x, y: y, width: max(1, offset), height: height),
            BoundingBox(x: x + offset, y: y, width: max(1, width - offset), height: height)
        )
    }

    /// How many pixels the two boxes share vertically (0 when apart).
    public func verticalOverlap(_ other: BoundingBox) -> Int {
        max(0, min(maxY, other.maxY) - max(y, other.y))
    }

    /// How many pixels the two boxes share horizontally (0 when apart).
    public func horizontalOverlap(_ other: BoundingBox) -> Int {
        max(0, min(maxX, other.maxX) - max(x, other.x))
    }
}
