import Foundation

/// The sex and age groups a catalogue remark (限定支付范围) restricts payment to, read
/// from its text: 限女性…, 限儿童…, 限18岁以上…, 限2岁至11岁儿童…, 限成人和12岁及以上青少年….
///
/// A remark may list several indications (numbered `1.` `2.`, or separated by `；`); the
/// entry is payable when any of them applies, so the groups are the union over the
/// indications, and an indication that names no group leaves that dimension open. Where
/// the text is unclear the reading is the wider one: a rule that holds claims must not
/// fire on a patient the remark may well include.
public struct PatientRestriction: Hashable, Sendable {
    /// An age interval in whole years, both ends included; `upper` nil for no upper end.
    public struct AgeRange: Hashable, Sendable, CustomStringConvertible {
        public var lower: Int
        public var upper: Int?

        public init(lower: Int, upper: Int?) {
            self.lower = lower
            self.upper = upper
        }

        public func contains(_ age: Int) -> Bool { age >= lower && (upper.map { age <= $0 } ?? true) }

        /// `18+`, `2–11`, `0–17`.
        public var description: String { upper.map { "\(lower)–\($0)" } ?? "\(lower)+" }

        func intersection(_ other: AgeRange) -> AgeRange? {
            let low = max(lower, other.lower)
            let high: Int? = switch (upper, other.upper) {
            case let (a?, b?): min(a, b)
            case let (a?, nil): a
            case let (nil, b?): b
            case (nil, nil): nil
            }
            if let high, high < low { return nil }
            return AgeRange(lower: low, upper: high)
        }
    }

    /// The sexes the entry is paid for (`F`, `M`), or nil for either.
    public var sexes: Set<String>?
    /// The ages the entry is paid for, ascending, or nil for any age.
    public var ages: [AgeRange]?

    public init(sexes: Set<String>?, ages: [AgeRange]?) {
        self.sexes = sexes
        self.ages = ages
    }

    /// The groups a remark restricts to; both open when it names none.
    public init(remark: String) {
        var sexes: Set<String> = []
        var sexOpen = false
        var ages: [AgeRange] = []
        var ageOpen = false
        let clauses = Self.clauses(of: TextFolding.foldWidth(remark))
        for clause in clauses {
            let sex = Self.sex(in: clause)
            if let sex { sexes.insert(sex) } else { sexOpen = true }
            let clauseAges = Self.ages(in: clause)
            if clauseAges.isEmpty { ageOpen = true } else { ages += clauseAges }
        }
        self.sexes = sexOpen || sexes.isEmpty ? nil : sexes
        self.ages = ageOpen || ages.isEmpty ? nil : ages.sorted { ($0.lower, $0.upper ?? Int.max) < ($1.lower, $1.upper ?? Int.max) }
    }

    /// Whether the remark names any sex or age group.
    public var isEmpty: Bool { sexes == nil && ages == nil }

    /// Whether a claimant of this sex (`M`/`F`, or 男/女) may be paid; true when unknown.
    public func allows(sex: String?) -> Bool {
        guard let sexes, let sex = Self.normalisedSex(sex) else { return true }
        return sexes.contains(sex)
    }

    /// Whether a claimant of this age may be paid; true when unknown.
    public func allows(age: Int?) -> Bool {
        guard let ages, let age else { return true }
        return ages.contains { $0.contains(age) }
    }

    /// Whether a catalogue remark restricts payment (限定支付范围): it starts with 限, or
    /// sets a condition (…方予支付) or a duration (支付不超过…). Other remarks, such as a
    /// Chinese patent medicine's indications (功能主治) or the NRDL's `◇` mark, do not.
    public static func isPaymentRestriction(_ remark: String?) -> Bool {
        guard let remark else { return false }
        let text = TextFolding.foldWidth(remark).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.hasPrefix("限") || text.contains("方予支付") || text.contains("支付不超过")
    }

    /// `M` or `F` from `M`, `F`, `男`, `女` (any case); nil otherwise.
    static func normalisedSex(_ sex: String?) -> String? {
        switch sex?.trimmingCharacters(in: .whitespaces).uppercased() {
        case "M", "MALE", "男": return "M"
        case "F", "FEMALE", "女": return "F"
        default: return nil
        }
    }

    // MARK: - Reading the remark

    /// The indications: split at `；` and at numbered items, each without its number.
    static func clauses(of text: String) -> [String] {
        let numbered = Pattern.numbering.map { regex in
            regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "；")
        } ?? text
        return numbered.split(whereSeparator: { $0 == "；" || $0 == ";" }).compactMap { part in
            // The leading 限 and its colon belong to the whole remark, not to a clause.
            var clause = Substring(part).drop { $0.isWhitespace }
            if clause.hasPrefix("限") { clause = clause.dropFirst() }
            clause = clause.drop { $0 == ":" || $0.isWhitespace }
            return clause.contains(where: { $0.isNumber || TextFolding.hasCJK(String($0)) }) ? String(clause) : nil
        }
    }

    /// 女性, 妇女, 孕妇, 产妇 → F; 男性 → M; neither or both → nil.
    static func sex(in clause: String) -> String? {
        let female = ["女性", "妇女", "孕妇", "产妇"].contains { clause.contains($0) }
        let male = clause.contains("男性")
        return female == male ? nil : (female ? "F" : "M")
    }

    /// The groups a clause's words name (成人, 儿童 …), each as an age range.
    static let groups: [(word: String, range: AgeRange)] = [
        // 婴幼儿 before 婴儿 so the longer word is found first at a position.
        ("婴幼儿", AgeRange(lower: 0, upper: 3)), ("婴儿", AgeRange(lower: 0, upper: 1)),
        ("新生儿", AgeRange(lower: 0, upper: 0)), ("青少年", AgeRange(lower: 12, upper: 17)),
        // 儿童 and 成人 as the NRDL uses them: under 18, and 18 or older.
        ("儿童", AgeRange(lower: 0, upper: 17)), ("成人", AgeRange(lower: 18, upper: nil)),
    ]

    /// The ages a clause names. Numbers (`2岁至11岁`, `≥12岁`, `50岁以上`, `18岁以下`) and
    /// group words; a number directly before a group word narrows it (`6岁及以上儿童` is
    /// 6–17), otherwise they add up. 以上 and 以下 include the number, as in Chinese law
    /// (民法典 第1259条); `<` and 不满 exclude it; 大于 is read as "from" (an age in whole
    /// years of n may be more than n years).
    static func ages(in clause: String) -> [AgeRange] {
        let range = NSRange(clause.startIndex..., in: clause)
        var tokens: [(location: Int, end: Int, range: AgeRange, isGroup: Bool)] = []
        var taken = IndexSet()
        for (regex, form) in Pattern.ages {
            guard let regex else { continue }
            for match in regex.matches(in: clause, range: range) {
                let span = match.range.location..<(match.range.location + match.range.length)
                guard !taken.intersects(integersIn: span) else { continue }
                func group(_ index: Int) -> String? {
                    Range(match.range(at: index), in: clause).map { String(clause[$0]) }
                }
                guard let first = group(1).flatMap({ Int($0) }) else { continue }
                let ageRange: AgeRange
                switch form {
                case .between:
                    guard let last = group(3).flatMap({ Int($0) }) else { continue }
                    ageRange = AgeRange(lower: first, upper: group(2) == "<" ? last - 1 : last)
                case .from: ageRange = AgeRange(lower: first, upper: nil)
                case .below: ageRange = AgeRange(lower: 0, upper: max(0, first - 1))
                case .upTo: ageRange = AgeRange(lower: 0, upper: first)
                }
                taken.insert(integersIn: span)
                tokens.append((match.range.location, span.upperBound, ageRange, false))
            }
        }
        let utf16 = Array(clause.utf16)
        for (word, ageRange) in groups {
            let wordUnits = Array(word.utf16)
            var start = 0
            while start + wordUnits.count <= utf16.count {
                let span = start..<(start + wordUnits.count)
                if Array(utf16[span]) == wordUnits && !taken.intersects(integersIn: span) {
                    taken.insert(integersIn: span)
                    tokens.append((start, span.upperBound, ageRange, true))
                    start = span.upperBound
                } else {
                    start += 1
                }
            }
        }
        tokens.sort { $0.location < $1.location }
        var result: [AgeRange] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if !token.isGroup, index + 1 < tokens.count, tokens[index + 1].isGroup,
                Self.qualifies(utf16, from: token.end, to: tokens[index + 1].location)
            {
                if let narrowed = token.range.intersection(tokens[index + 1].range) { result.append(narrowed) }
                index += 2
                continue
            }
            result.append(token.range)
            index += 1
        }
        return result
    }

    /// Whether an age names the group word that follows it: `6岁及以上儿童`,
    /// `5至12岁以下单纯性流感儿童患者`. Not when the age already ends at 患者 or at a
    /// comma (`12岁及以上患者，…成人…`): then it stands for a group of its own.
    private static func qualifies(_ utf16: [UInt16], from end: Int, to start: Int) -> Bool {
        guard start >= end else { return false }
        let gap = String(decoding: utf16[end..<start], as: UTF16.self)
        return !gap.contains("患者") && !gap.contains(",") && !gap.contains("，") && !gap.contains("。")
    }

    private enum Pattern {
        /// An item number (`1.`, `2、`) at the start, or after 限, a colon or a separator.
        static let numbering = try? NSRegularExpression(pattern: #"(?:^|(?<=[限：:；;。，,\s]))\s*\d{1,2}\s*[.．、]\s*"#)
        /// How a matched number reads as an age range.
        enum Form: Sendable {
            /// Groups 1 and 3 are the ends; group 2 is `<` when the upper end is excluded.
            case between
            /// Group 1 is the lowest age.
            case from
            /// Group 1 is the first age excluded.
            case below
            /// Group 1 is the highest age.
            case upTo
        }

        static let year = #"\s*(?:周岁|岁)"#
        static let ages: [(regex: NSRegularExpression?, form: Form)] = [
            // 2岁至11岁, 3-12岁, 12至<18岁, 2岁至<18岁
            (try? NSRegularExpression(pattern: #"(\d+)(?:\#(year))?\s*(?:-|~|至|到|—|–)\s*(<|≤)?\s*(\d+)\#(year)"#), .between),
            // ≥12岁, 大于2岁, 年龄大于2岁
            (try? NSRegularExpression(pattern: #"(?:≥|>=|>|大于等于|不小于|大于|超过)\s*(\d+)\#(year)"#), .from),
            // 12岁及以上, 50岁以上, 13岁和13岁以上
            (try? NSRegularExpression(pattern: #"(\d+)\#(year)\s*(?:(?:及|和)\s*(?:\d+\#(year))?\s*)?以上"#), .from),
            // <18岁, 不满14岁, 未满18周岁
            (try? NSRegularExpression(pattern: #"(?:<|不满|未满|小于)\s*(\d+)\#(year)"#), .below),
            // ≤6岁, 不超过6岁
            (try? NSRegularExpression(pattern: #"(?:≤|<=|不超过)\s*(\d+)\#(year)"#), .upTo),
            // 18岁以下, 14岁及以下, 6岁以内
            (try? NSRegularExpression(pattern: #"(\d+)\#(year)\s*(?:及|和)?\s*(?:以下|以内)"#), .upTo),
        ]
    }
}
