import Foundation

/// An in-memory inverted index from character unigrams and bigrams to the keys holding
/// them, with IDF weights; ranks keys by a weighted Dice overlap with a query. CJK
/// names are short (6–7 characters on average), so unigrams and bigrams are both needed:
/// a misread character breaks two bigrams but leaves the other unigrams.
public struct NGramIndex: Sendable {
    /// The grams of each key, as an index into `postings` offsets.
    private let gramIDs: [UInt64: Int32]
    /// CSR layout: the keys holding gram `g` are `postings[offsets[g]..<offsets[g+1]]`.
    private let offsets: [Int32]
    private let postings: [Int32]
    private let idf: [Float]
    private let keyWeight: [Float]
    /// The keys' weights over bigrams alone, for the first, bigram-only pass.
    private let keyBigramWeight: [Float]
    /// A bigram-only pass whose best overlap reaches this is trusted; below it (a short
    /// or badly misread query) the unigrams are walked too.
    public static let bigramPassTrust: Float = 0.65
    /// The weight a gram absent from every key carries in a query.
    private let unseenWeight: Float
    /// Grams held by more keys than this are stop-grams: too common to tell names apart
    /// (注, 射, 酸 …), and the longest posting lists to walk. They are left out of both the
    /// query's and the keys' weights.
    public static let stopGramShare: Float = 0.04

    /// The number of keys indexed.
    public var count: Int { keyWeight.count }

    /// Builds the index over `keys`; key `i` (the union of the grams of its strings) is
    /// found as `i`.
    public init(keys: [[[UInt32]]]) {
        var ids: [UInt64: Int32] = [:]
        var perKey: [[Int32]] = []
        perKey.reserveCapacity(keys.count)
        var df: [Int32] = []
        for key in keys {
            var seen = Set<Int32>()
            for gram in key.flatMap(NGramIndex.grams(of:)) {
                let id: Int32
                if let existing = ids[gram] {
                    id = existing
                } else {
                    id = Int32(df.count)
                    ids[gram] = id
                    df.append(0)
                }
                if seen.insert(id).inserted { df[Int(id)] += 1 }
            }
            perKey.append(seen.sorted())
        }
        var offsets = [Int32](repeating: 0, count: df.count + 1)
        for (g, n) in df.enumerated() { offsets[g + 1] = offsets[g] + n }
        var fill = Array(offsets.dropLast())
        var postings = [Int32](repeating: 0, count: Int(offsets[df.count]))
        for (k, grams) in perKey.enumerated() {
            for g in grams {
                postings[Int(fill[Int(g)])] = Int32(k)
                fill[Int(g)] += 1
            }
        }
        let n = Float(max(keys.count, 1))
        let stop = max(Float(50), n * NGramIndex.stopGramShare)
        // A stop-gram weighs nothing; its postings are never walked.
        let idf = df.map { Float($0) > stop ? 0 : logf(1 + n / Float($0)) }
        self.gramIDs = ids
        self.offsets = offsets
        self.postings = postings
        self.idf = idf
        self.keyWeight = perKey.map { grams in grams.reduce(0) { $0 + idf[Int($1)] } }
        var isBigram = [Bool](repeating: false, count: df.count)
        for (gram, id) in ids where gram & (1 << 42) == 0 { isBigram[Int(id)] = true }
        self.keyBigramWeight = perKey.map { grams in grams.reduce(0) { isBigram[Int($1)] ? $0 + idf[Int($1)] : $0 } }
        self.unseenWeight = logf(1 + n)
    }

    /// Writes the index for `init(from:)`.
    func write(to writer: inout SnapshotWriter) {
        let grams = gramIDs.sorted { $0.key < $1.key }
        writer.append(grams.map(\.key))
        writer.append(grams.map(\.value))
        writer.append(offsets)
        writer.append(postings)
        writer.append(idf)
        writer.append(keyWeight)
        writer.append(keyBigramWeight)
        writer.append([unseenWeight])
    }

    /// Reads back an index `write(to:)` wrote, checking that every offset and posting
    /// stays inside its array.
    init(from reader: inout SnapshotReader) throws {
        let grams = try reader.array(of: UInt64.self), ids = try reader.array(of: Int32.self)
        let offsets = try reader.array(of: Int32.self), postings = try reader.array(of: Int32.self)
        let idf = try reader.array(of: Float.self), keyWeight = try reader.array(of: Float.self)
        let keyBigramWeight = try reader.array(of: Float.self), unseen = try reader.array(of: Float.self)
        let keyCount = keyWeight.count, gramCount = idf.count
        let gramsSorted = zip(grams, grams.dropFirst()).allSatisfy { $0 < $1 }
        let idsInside = ids.allSatisfy { $0 >= 0 && Int($0) < gramCount }
        let offsetsRise = offsets.first == 0 && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }
        let postingsInside = postings.allSatisfy { $0 >= 0 && Int($0) < keyCount }
        guard grams.count == ids.count, gramsSorted, idsInside, offsetsRise, postingsInside,
            offsets.count == gramCount + 1, offsets.last.map(Int.init) == postings.count,
            keyBigramWeight.count == keyCount, unseen.count == 1
        else { throw SnapshotError.malformed("the n-gram index") }
        self.offsets = offsets
        self.postings = postings
        self.idf = idf
        self.keyWeight = keyWeight
        self.keyBigramWeight = keyBigramWeight
        gramIDs = Dictionary(uniqueKeysWithValues: zip(grams, ids))
        unseenWeight = unseen[0]
    }

    /// Unigrams and bigrams of a key, each once.
    static func grams(of key: [UInt32]) -> [UInt64] {
        var grams: [UInt64] = []
        grams.reserveCapacity(key.count * 2)
        for (i, c) in key.enumerated() {
            grams.append(1 << 42 | UInt64(c))
            if i + 1 < key.count { grams.append(UInt64(c) << 21 | UInt64(key[i + 1])) }
        }
        return grams
    }

    /// The `limit` keys with the highest weighted Dice overlap with the grams of
    /// `queryKeys` (the union of their grams), best first; ties go to the lower key id.
    public func candidates(for queryKeys: [[UInt32]], limit: Int) -> [(key: Int, overlap: Float)] {
        var accumulator = [Float](repeating: 0, count: keyWeight.count)
        return candidates(for: queryKeys, limit: limit, accumulator: &accumulator)
    }

    /// A buffer for `candidates(for:limit:accumulator:)`, reused across the queries of
    /// a batch so each query does not allocate and clear one slot per key.
    public func makeAccumulator() -> [Float] { [Float](repeating: 0, count: keyWeight.count) }

    /// `candidates(for:limit:)` with a caller's buffer from `makeAccumulator()`; the
    /// buffer is all zeros again on return.
    public func candidates(for queryKeys: [[UInt32]], limit: Int, accumulator: inout [Float]) -> [(key: Int, overlap: Float)] {
        var grams: [UInt64] = []
        for key in queryKeys { grams += NGramIndex.grams(of: key) }
        grams.sort()
        var unique = 0
        for g in grams where unique == 0 || grams[unique - 1] != g {
            grams[unique] = g
            unique += 1
        }
        grams.removeLast(grams.count - unique)
        // Bigrams first: their posting lists are short. Unigrams (long lists: a common
        // character is in hundreds of names) only when the bigrams find nothing good.
        let bigrams = grams.filter { $0 & (1 << 42) == 0 }
        let first = rank(bigrams, weights: keyBigramWeight, limit: limit, accumulator: &accumulator)
        if let top = first.first, top.overlap >= NGramIndex.bigramPassTrust { return first }
        return rank(grams, weights: keyWeight, limit: limit, accumulator: &accumulator)
    }

    private func rank(
        _ grams: [UInt64], weights keyWeight: [Float], limit: Int, accumulator: inout [Float]
    ) -> [(key: Int, overlap: Float)] {
        var touched: [Int32] = []
        touched.reserveCapacity(512)
        var queryWeight: Float = 0
        for gram in grams {
            guard let id = gramIDs[gram] else { queryWeight += unseenWeight; continue }
            let w = idf[Int(id)]
            if w == 0 { continue }
            queryWeight += w
            for p in Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1]) {
                let k = Int(postings[p])
                if accumulator[k] == 0 { touched.append(Int32(k)) }
                accumulator[k] += w
            }
        }
        // A bounded insertion list: most keys fail the comparison with the current worst.
        var best: [(key: Int, overlap: Float)] = []
        best.reserveCapacity(limit + 1)
        for t in touched {
            let k = Int(t)
            let dice = 2 * accumulator[k] / (queryWeight + keyWeight[k])
            if best.count == limit, let last = best.last, !(dice > last.overlap || (dice == last.overlap && k < last.key)) {
                continue
            }
            var position = best.count
            while position > 0 {
                let other = best[position - 1]
                if dice > other.overlap || (dice == other.overlap && k < other.key) { position -= 1 } else { break }
            }
            best.insert((k, dice), at: position)
            if best.count > limit { best.removeLast() }
        }
        for t in touched { accumulator[Int(t)] = 0 }
        return best
    }
}
