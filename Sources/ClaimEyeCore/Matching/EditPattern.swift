/// A query key prepared for bit-parallel Levenshtein distance (Myers 1999, in Hyyrö's
/// formulation for global distance): one 64-bit word per text character instead of one
/// row of the dynamic-programming table. Keys longer than 64 fall back to the table.
/// Built once per query and compared with every candidate key.
public struct EditPattern: Sendable {
    /// The pattern's characters.
    public let scalars: [UInt32]
    // Open addressing, 128 slots (a pattern has at most 64 distinct characters): the
    // bit mask of the positions where each character occurs. Slot key 0 is empty; no
    // normalised key holds U+0000.
    private let slotKeys: [UInt32]
    private let slotMasks: [UInt64]
    private static let slotBits: UInt32 = 7

    /// Prepares `scalars`.
    public init(_ scalars: [UInt32]) {
        self.scalars = scalars
        var keys = [UInt32](repeating: 0, count: 1 << Int(EditPattern.slotBits))
        var masks = [UInt64](repeating: 0, count: keys.count)
        if scalars.count <= 64 {
            for (i, c) in scalars.enumerated() {
                var slot = EditPattern.slot(c)
                while keys[slot] != 0 && keys[slot] != c { slot = (slot + 1) & (keys.count - 1) }
                keys[slot] = c
                masks[slot] |= 1 << UInt64(i)
            }
        }
        slotKeys = keys
        slotMasks = masks
    }

    @inline(__always)
    private static func slot(_ c: UInt32) -> Int { Int((c &* 0x9E37_79B1) >> (32 - slotBits)) }

    @inline(__always)
    private func mask(_ c: UInt32) -> UInt64 {
        var slot = EditPattern.slot(c)
        while true {
            let k = slotKeys[slot]
            if k == c { return slotMasks[slot] }
            if k == 0 { return 0 }
            slot = (slot + 1) & (slotKeys.count - 1)
        }
    }

    /// The Levenshtein distance from the pattern to `text`.
    public func distance(to text: [UInt32]) -> Int { distance(to: text[...]) }

    /// The distance to a run of a longer buffer (a key of the matcher's key table).
    public func distance(to text: ArraySlice<UInt32>) -> Int {
        let m = scalars.count
        if m == 0 { return text.count }
        if text.isEmpty { return m }
        guard m <= 64 else { return MatchScorer.levenshtein(scalars, Array(text)) }
        var pv: UInt64 = ~0
        var mv: UInt64 = 0
        var score = m
        let high: UInt64 = 1 << UInt64(m - 1)
        for c in text {
            let eq = mask(c)
            let xv = eq | mv
            let xh = (((eq & pv) &+ pv) ^ pv) | eq
            var ph = mv | ~(xh | pv)
            var mh = pv & xh
            if ph & high != 0 { score += 1 } else if mh & high != 0 { score -= 1 }
            // Global distance: the top row grows by one per text character.
            ph = (ph << 1) | 1
            mh = mh << 1
            pv = mh | ~(xv | ph)
            mv = ph & xv
        }
        return score
    }

    /// `1 − distance / longer length`, as `MatchScorer.similarity`.
    public func similarity(to text: [UInt32]) -> Double { similarity(to: text[...]) }

    /// `similarity(to:)` of a run of a longer buffer.
    public func similarity(to text: ArraySlice<UInt32>) -> Double {
        if text.elementsEqual(scalars) { return 1 }
        let longer = max(scalars.count, text.count)
        guard longer > 0 else { return 1 }
        return 1 - Double(distance(to: text)) / Double(longer)
    }

    /// The similarity, or 0 when the length difference alone keeps it at or below `floor`.
    public func similarity(to text: ArraySlice<UInt32>, atLeast floor: Double) -> Double {
        let longer = max(scalars.count, text.count)
        guard longer > 0 else { return 1 }
        if 1 - Double(abs(scalars.count - text.count)) / Double(longer) <= floor { return 0 }
        return similarity(to: text)
    }
}
