import Foundation

/// A name reduced to the keys the matcher compares, as arrays of Unicode scalar values
/// (comparing `UInt32` arrays is an order of magnitude faster than comparing `String`s).
public struct NormalisedName: Hashable, Sendable {
    /// Width-folded, lower-cased, without whitespace, brackets and punctuation, with
    /// OCR-confusable characters folded to one representative. Bracket contents are kept.
    public var full: [UInt32]
    /// `full` without a leading 注射用, trailing dosage-form words and salt words
    /// (盐酸, 硫酸, …): the secondary key, so 盐酸二甲双胍缓释片 and 二甲双胍 meet.
    public var core: [UInt32]
    /// `full` without the dosage-form words but with its salt words: a catalogue name
    /// that starts with a salt-like word (乳酸钠林格) meets a reading whose extra salt
    /// word was stripped (甲磺酸乳酸钠林格 → 乳酸钠林格).
    public var stem: [UInt32]
    /// The dosage-form class read from the name's form words, when any.
    public var form: DosageFormClass?
    /// A spec found at the end of the text (e.g. `0.25g*24粒`), removed from the keys.
    public var spec: String?

    /// The full key as a string (for logs, aliases and review rows).
    public var fullText: String { MatchNormaliser.string(full) }
    /// The core key as a string.
    public var coreText: String { MatchNormaliser.string(core) }
}

/// Dosage forms grouped the way a bill's wording and the NRDL 剂型 column can both be
/// mapped onto: enough to tell the cross-listed rows of one drug apart.
public enum DosageFormClass: String, Hashable, Sendable, CaseIterable, Codable {
    case oralSolid, sustainedRelease, injection, granule, oralLiquid, powder, ointment
    case eye, ear, nose, suppository, vaginal, inhalation, externalLiquid, patch, pill, spray
}

/// Text normalisation for catalogue matching: full/half width, CJK spaces, brackets,
/// dosage-form and salt words, OCR-confusable characters, trailing specs.
public enum MatchNormaliser {
    /// Normalises a catalogue name or an OCR reading.
    public static func normalise(_ text: String) -> NormalisedName {
        var scalars = fold(text)
        let spec = stripSpec(&scalars)
        let full = scalars.filter { !isDroppable($0) }.map(confusableFold)
        var stem = full
        let form = stripForms(&stem)
        if stem.count < 2 { stem = full }
        var core = stem
        stripSalts(&core)
        if core.count < 2 { core = stem }
        return NormalisedName(full: full, core: core, stem: stem, form: form, spec: spec)
    }

    /// The key variants of a catalogue name. Bracketed text is either an alternative
    /// name (埃索美拉唑(艾司奥美拉唑)), a variant mark (胶囊(Ⅱ)), alternative forms
    /// (九味羌活丸(颗粒)) or an essential qualifier (诊查费(营养咨询)); each reading
    /// becomes a key and the best one scores.
    public static func catalogueKeys(_ name: String) -> [NormalisedName] {
        var variants = [name]
        let (outside, inside) = splitBrackets(name)
        if !inside.isEmpty {
            variants.append(outside)
            for part in inside {
                let forms = part.split(whereSeparator: { "、,，/和或".contains($0) }).map(String.init)
                if !forms.isEmpty, forms.allSatisfy({ formWords[$0] != nil }) {
                    let stem = normalise(outside)
                    for form in forms { variants.append(string(stem.core) + form) }
                } else if part.count >= 3, !part.allSatisfy({ $0.isASCII || $0.isNumber }) {
                    variants.append(part)
                }
            }
        }
        var seen = Set<[UInt32]>()
        var keys: [NormalisedName] = []
        for variant in variants {
            let key = normalise(variant)
            if !key.full.isEmpty, seen.insert(key.full).inserted { keys.append(key) }
        }
        return keys
    }

    /// The dosage-form class a catalogue 剂型 value (口服常释剂型, 注射剂, …) belongs to.
    public static func formClass(ofCatalogueForm form: String) -> DosageFormClass? {
        let text = String(String.UnicodeScalarView(fold(form).compactMap(Unicode.Scalar.init)))
        for (needle, cls) in catalogueFormNeedles where text.contains(needle) { return cls }
        return nil
    }

    /// The text of a key.
    public static func string(_ scalars: [UInt32]) -> String {
        String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init)))
    }

    // MARK: - Width and case folding

    /// Full-width ASCII to half width, ideographic space to space, ASCII to lower case,
    /// other compatibility characters (Ⅱ, µ, ㎎) through NFKC. CJK ideographs, the bulk of
    /// the text, take the fast path.
    static func fold(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x41...0x5A: out.append(v + 0x20)
            case 0x00...0x7F, 0x4E00...0x9FFF: out.append(v)
            case 0xFF21...0xFF3A: out.append(v - 0xFEE0 + 0x20)
            case 0xFF01...0xFF5E: out.append(v - 0xFEE0)
            case 0x3000: out.append(0x20)
            case 0x3010, 0x3014, 0x3016, 0xFF08: out.append(0x28)  // 【〔〖（ → (
            case 0x3011, 0x3015, 0x3017, 0xFF09: out.append(0x29)
            case 0x00B5, 0x03BC: out.append(0x75)  // µ/μ (micro) → u, as in ug
            default:
                let mapped = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
                out.append(contentsOf: mapped.unicodeScalars.map(\.value))
            }
        }
        return out
    }

    /// Whitespace, brackets and punctuation carry no identity in an OCR reading.
    @inline(__always)
    static func isDroppable(_ v: UInt32) -> Bool {
        switch v {
        case 0x30...0x39, 0x61...0x7A: return false
        case 0x00...0x7F: return true  // spaces, brackets, * / - . and the rest
        case 0x3001, 0x3002, 0x00B7, 0x2022, 0x30FB, 0x2014, 0x2013, 0x201C, 0x201D, 0x2018, 0x2019, 0x300A, 0x300B, 0xFEFF:
            return true
        default: return false
        }
    }

    // MARK: - Confusables

    /// Characters Tesseract's chi_sim model confuses with one another, each folded to one
    /// representative so a misreading costs nothing. Only pairs that rarely tell two
    /// catalogue names apart on their own are listed.
    static let confusableGroups: [String] = [
        "己已巳", "未末", "日曰", "土士", "人入", "干千于", "王玉", "大太犬", "天夭", "刀力",
        "戊戌戍", "贝见", "鸟乌", "木本术", "拔拨", "汩汨", "炙灸", "苓芩", "侯候", "析折",
        "咪眯", "唑哇", "胺按", "酮铜", "氯录", "酰酷", "嗪秦", "噻塞", "啶淀", "醇酵",
        "钠纳", "沙抄", "苯笨", "洛络", "喹奎",
        "氟佛", "莫奠", "西酉", "丙两", "口□", "0o", "1l",
    ]

    static let confusableMap: [UInt32: UInt32] = {
        var map: [UInt32: UInt32] = [:]
        for group in confusableGroups {
            let scalars = group.unicodeScalars.map(\.value)
            guard let first = scalars.first else { continue }
            // A character in two groups keeps its first representative.
            for s in scalars where map[s] == nil { map[s] = map[first] ?? first }
        }
        return map
    }()

    @inline(__always)
    static func confusableFold(_ v: UInt32) -> UInt32 { confusableMap[v] ?? v }

    // MARK: - Specs

    static let specUnits: [String] = [
        "mg", "g", "ml", "ug", "mcg", "iu", "u", "l", "kg", "万u", "万iu", "单位", "万单位", "%",
        "毫克", "克", "毫升", "微克",
    ]
    static let packWords: Set<UInt32> = Set("粒片支袋瓶盒丸贴枚张包板吸喷揿管只瓶盒贴剂".unicodeScalars.map(\.value))

    /// Removes a trailing spec (`0.25g*24粒`, `10mg/支`, `500ml:4.5g`) from folded text
    /// and returns it. A digit run is the start of a spec only when a strength unit follows
    /// somewhere in the tail, so 维生素B12 keeps its 12.
    static func stripSpec(_ scalars: inout [UInt32]) -> String? {
        var cut: Int?
        // The end of the whitespace-separated token being scanned: across whitespace a
        // token is part of the spec only if it has a unit of its own, so
        // 氯化钠注射液 0.9% 250ml loses both, 门冬胰岛素50 5ml keeps its 50.
        var tokenEnd = scalars.count
        var i = scalars.count - 1
        while i > 0 {
            let v = scalars[i]
            if v == 0x20 { tokenEnd = i }
            if !isSpecPosition(i, in: scalars) { break }
            let previous = scalars[i - 1]
            // A spec starts at a digit run that follows no letter or digit: 维生素B12 keeps
            // its 12, 阿莫西林胶囊0.25g loses its 0.25g.
            if isDigit(v) && !isDigit(previous) && previous != 0x2E && !(previous >= 0x61 && previous <= 0x7A) {
                if hasUnit(scalars[i..<tokenEnd]) { cut = i } else if cut != nil { break }
            }
            i -= 1
        }
        guard let start = cut else { return nil }
        // Keep at least one character of name.
        guard scalars[..<start].contains(where: { !isDroppable($0) }) else { return nil }
        let spec = string(Array(scalars[start...])).trimmingCharacters(in: .whitespaces)
        scalars.removeSubrange(start...)
        return spec.isEmpty ? nil : spec
    }

    @inline(__always) static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    static let specWords: Set<UInt32> = Set("万单位毫克升微".unicodeScalars.map(\.value))

    /// Whether position `i` can be inside a spec: digits, letters, `* / : . x %`, pack
    /// words (粒, 片, 支 …), and up to two other characters right after a digit (a count
    /// word misread: 24拉 for 24粒).
    static func isSpecPosition(_ i: Int, in s: [UInt32]) -> Bool {
        let v = s[i]
        if v < 0x80 { return v != 0x28 && v != 0x29 }
        if packWords.contains(v) || v == 0xD7 || specWords.contains(v) { return true }
        return (i >= 1 && isDigit(s[i - 1])) || (i >= 2 && isDigit(s[i - 2]))
    }

    static let specUnitKeys: [[UInt32]] = specUnits.map { $0.unicodeScalars.map(\.value) }

    /// Whether a strength unit follows a digit somewhere in `tail` ("ml" in "0.9%ml"
    /// yes, "gel" no).
    static func hasUnit(_ tail: ArraySlice<UInt32>) -> Bool {
        var i = tail.startIndex + 1
        while i < tail.endIndex {
            let before = tail[i - 1]
            if isDigit(before) || before == 0x2E {
                for unit in specUnitKeys where tail[i...].starts(with: unit) { return true }
            }
            i += 1
        }
        return false
    }

    /// Strengths in a spec, as (value, unit) with mass in mg and volume in ml, so
    /// `0.25g` and `250mg` agree.
    public static func strengths(in spec: String) -> [Strength] {
        let text = string(fold(spec))
        var result: [Strength] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isASCII, text[index].isNumber else { index = text.index(after: index); continue }
            var end = index
            while end < text.endIndex, text[end].isASCII, text[end].isNumber || text[end] == "." { end = text.index(after: end) }
            let number = Decimal(string: String(text[index..<end]), locale: Locale(identifier: "en_US_POSIX"))
            var unitEnd = end
            while unitEnd < text.endIndex, text[unitEnd].isLetter, text.distance(from: end, to: unitEnd) < 4 {
                unitEnd = text.index(after: unitEnd)
            }
            let unit = String(text[end..<unitEnd])
            if let number, let strength = Strength(value: number, unit: unit) { result.append(strength) }
            index = end
        }
        return result
    }

    // MARK: - Dosage forms and salts

    /// Dosage-form words as printed on bills, longest first when stripped.
    static let formWords: [String: DosageFormClass] = [
        "片": .oralSolid, "胶囊": .oralSolid, "软胶囊": .oralSolid, "硬胶囊": .oralSolid,
        "分散片": .oralSolid, "咀嚼片": .oralSolid, "泡腾片": .oralSolid, "肠溶片": .oralSolid,
        "肠溶胶囊": .oralSolid, "薄膜衣片": .oralSolid, "糖衣片": .oralSolid, "口崩片": .oralSolid,
        "口腔崩解片": .oralSolid, "含片": .oralSolid, "片剂": .oralSolid, "舌下片": .oralSolid,
        "缓释片": .sustainedRelease, "控释片": .sustainedRelease, "缓释胶囊": .sustainedRelease,
        "缓释颗粒": .sustainedRelease, "肠溶缓释片": .sustainedRelease,
        "注射液": .injection, "注射剂": .injection, "针": .injection, "粉针": .injection,
        "针剂": .injection, "输液": .injection, "大输液": .injection,
        "颗粒": .granule, "颗粒剂": .granule, "冲剂": .granule,
        "口服液": .oralLiquid, "口服溶液": .oralLiquid, "糖浆": .oralLiquid, "合剂": .oralLiquid,
        "混悬液": .oralLiquid, "干混悬剂": .oralLiquid, "混悬剂": .oralLiquid, "口服乳剂": .oralLiquid,
        "散": .powder, "散剂": .powder, "粉": .powder, "粉剂": .powder,
        "软膏": .ointment, "乳膏": .ointment, "凝胶": .ointment, "膏": .ointment, "软膏剂": .ointment,
        "乳膏剂": .ointment, "凝胶剂": .ointment,
        "滴眼液": .eye, "眼膏": .eye, "眼用凝胶": .eye, "滴眼剂": .eye,
        "滴耳液": .ear, "滴鼻液": .nose, "鼻喷雾剂": .nose,
        "栓": .suppository, "栓剂": .suppository,
        "阴道片": .vaginal, "阴道栓": .vaginal, "阴道泡腾片": .vaginal, "阴道软胶囊": .vaginal,
        "阴道胶囊": .vaginal, "阴道凝胶": .vaginal,
        "气雾剂": .inhalation, "吸入剂": .inhalation, "粉雾剂": .inhalation, "吸入粉雾剂": .inhalation,
        "吸入溶液": .inhalation, "吸入气雾剂": .inhalation,
        "喷雾剂": .spray,
        "溶液": .externalLiquid, "外用溶液": .externalLiquid, "洗剂": .externalLiquid, "搽剂": .externalLiquid,
        "酊": .externalLiquid, "酊剂": .externalLiquid, "涂剂": .externalLiquid,
        "贴": .patch, "贴剂": .patch, "贴膏": .patch, "膏药": .patch, "透皮贴剂": .patch,
        "丸": .pill, "滴丸": .pill, "水丸": .pill, "蜜丸": .pill, "浓缩丸": .pill, "大蜜丸": .pill,
        "小蜜丸": .pill, "水蜜丸": .pill,
    ]

    static let formKeys: [([UInt32], DosageFormClass)] = formWords
        .map { (fold($0.key).map(confusableFold), $0.value) }
        .sorted { $0.0.count != $1.0.count ? $0.0.count > $1.0.count : $0.0.lexicographicallyPrecedes($1.0) }

    static let catalogueFormNeedles: [(String, DosageFormClass)] = [
        ("缓释", .sustainedRelease), ("控释", .sustainedRelease), ("阴道", .vaginal), ("注射", .injection),
        ("眼", .eye), ("耳", .ear), ("鼻", .nose), ("吸入", .inhalation), ("气雾", .inhalation),
        ("喷雾", .spray), ("栓", .suppository), ("颗粒", .granule), ("口服液体", .oralLiquid),
        ("口服溶液", .oralLiquid), ("混悬", .oralLiquid), ("乳剂", .oralLiquid), ("散剂", .powder),
        ("粉剂", .powder), ("软膏", .ointment), ("乳膏", .ointment), ("凝胶", .ointment),
        ("贴", .patch), ("滴丸", .pill), ("丸", .pill), ("外用", .externalLiquid), ("溶液", .externalLiquid),
        ("常释", .oralSolid), ("片", .oralSolid), ("胶囊", .oralSolid),
    ]

    static let injectionPrefix: [UInt32] = fold("注射用").map(confusableFold)
    static let injectionPrefixTail: [UInt32] = fold("射用").map(confusableFold)

    /// Strips a leading 注射用 and trailing form words; returns the form they name.
    static func stripForms(_ key: inout [UInt32]) -> DosageFormClass? {
        var form: DosageFormClass?
        // 注射用 at the start, or one character in (an OCR insertion), or with its 注 lost.
        for (prefix, offset) in [(injectionPrefix, 0), (injectionPrefix, 1), (injectionPrefixTail, 0)] {
            guard key.count > prefix.count + offset + 1, key[offset...].starts(with: prefix) else { continue }
            key.removeFirst(prefix.count + offset)
            form = .injection
            break
        }
        // Up to two trailing words: 胶囊(软胶囊) reads 胶囊软胶囊 once the brackets are gone.
        for _ in 0..<2 {
            if let (word, cls) = formKeys.first(where: { key.count > $0.0.count + 1 && key.ends(with: $0.0) }) {
                key.removeLast(word.count)
                if form == nil { form = cls }
            } else if let (word, cls) = formKeys.first(where: { $0.0.count >= 3 && key.count > $0.0.count + 1 && endsWithOneMisread(key, $0.0) }) {
                // A three-character form word with one character misread (注射夜).
                key.removeLast(word.count)
                if form == nil { form = cls }
            } else {
                break
            }
        }
        return form
    }

    /// Whether `key` ends with `word` but for exactly one substituted character, which is
    /// not the word's first (so 注射液 matches 注射夜, and 射液 alone does not count).
    static func endsWithOneMisread(_ key: [UInt32], _ word: [UInt32]) -> Bool {
        guard key.count >= word.count else { return false }
        var misses = 0
        let offset = key.count - word.count
        for (i, c) in word.enumerated() where key[offset + i] != c {
            if i == 0 { return false }
            misses += 1
        }
        return misses == 1
    }

    /// Salt and acid-radical words that bills print or omit at will (盐酸二甲双胍 /
    /// 二甲双胍).
    static let saltKeys: [[UInt32]] = [
        "盐酸", "硫酸", "磷酸", "马来酸", "富马酸", "枸橼酸", "酒石酸", "甲磺酸", "苯磺酸", "醋酸",
        "氢溴酸", "琥珀酸", "乳酸", "葡萄糖酸", "门冬氨酸", "二盐酸", "甲苯磺酸", "氯化", "硝酸",
    ].map { fold($0).map(confusableFold) }.sorted { $0.count > $1.count }

    static func stripSalts(_ key: inout [UInt32]) {
        for salt in saltKeys where key.count > salt.count + 1 {
            if key.starts(with: salt) { key.removeFirst(salt.count); return }
            if key.ends(with: salt) { key.removeLast(salt.count); return }
        }
    }

    static func splitBrackets(_ name: String) -> (outside: String, inside: [String]) {
        var outside = ""
        var inside: [String] = []
        var depth = 0
        var current = ""
        for ch in name {
            switch ch {
            case "(", "（", "[", "【", "［":
                if depth == 0 { current = "" } else { current.append(ch) }
                depth += 1
            case ")", "）", "]", "】", "］":
                depth = max(0, depth - 1)
                if depth == 0 { inside.append(current) } else { current.append(ch) }
            default:
                if depth == 0 { outside.append(ch) } else { current.append(ch) }
            }
        }
        return (outside, inside.filter { !$0.isEmpty })
    }
}

extension Array where Element == UInt32 {
    @inline(__always)
    func ends(with suffix: [UInt32]) -> Bool {
        guard suffix.count <= count else { return false }
        return self[(count - suffix.count)...].elementsEqual(suffix)
    }
}

/// A strength or volume read from a spec, in mg or ml (or the unit as printed).
public struct Strength: Hashable, Sendable {
    /// The amount in the base unit.
    public var value: Decimal
    /// mg, ml, iu or u.
    public var unit: String

    /// Converts a printed amount; nil for units that are not strengths (粒, 片 …).
    public init?(value: Decimal, unit: String) {
        switch unit.lowercased() {
        case "mg": self.value = value; self.unit = "mg"
        case "g": self.value = value * 1000; self.unit = "mg"
        case "kg": self.value = value * 1_000_000; self.unit = "mg"
        case "ug", "mcg": self.value = value / 1000; self.unit = "mg"
        case "ml": self.value = value; self.unit = "ml"
        case "l": self.value = value * 1000; self.unit = "ml"
        case "iu", "u": self.value = value; self.unit = "u"
        default: return nil
        }
    }
}
