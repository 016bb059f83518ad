import Foundation

/// Reads hospital, patient, invoice code and number, and date from the rows of a document.
enum MetadataReader {
    static func read(_ rows: [Row]) -> DocumentMetadata {
        var metadata = DocumentMetadata()
        for row in rows {
            let text = TextFolding.clean(row.text)
            let confidence = row.cells.map(\.confidence).min() ?? 0
            if metadata.invoiceCode == nil, let code = capture(Pattern.invoiceCode, in: text) {
                metadata.invoiceCode = Read(code, confidence: confidence, box: row.box)
            }
            if metadata.invoiceNumber == nil, let number = capture(Pattern.invoiceNumber, in: text.replacingOccurrences(of: " ", with: "")) {
                metadata.invoiceNumber = Read(number, confidence: confidence, box: row.box)
            }
            if metadata.date == nil, let date = date(in: text) {
                metadata.date = Read(date, confidence: confidence, box: row.box)
            }
            if metadata.hospital == nil, let hospital = capture(Pattern.chineseIssuer, in: text.replacingOccurrences(of: " ", with: "")) {
                metadata.hospital = Read(strip(hospital), confidence: confidence, box: row.box)
            } else if metadata.hospital == nil, let hospital = capture(Pattern.englishIssuer, in: text) {
                metadata.hospital = Read(hospital.trimmingCharacters(in: .whitespaces), confidence: confidence, box: row.box)
            }
            if metadata.patient == nil, let patient = capture(Pattern.chinesePatient, in: text.replacingOccurrences(of: " ", with: "")) {
                metadata.patient = Read(patient, confidence: confidence, box: row.box)
            } else if metadata.patient == nil, let patient = capture(Pattern.englishPatient, in: text) {
                metadata.patient = Read(patient, confidence: confidence, box: row.box)
            }
        }
        return metadata
    }

    /// True unless a footer says the document has more pages than were parsed.
    static func isComplete(_ rows: [Row], pages: Int) -> Bool {
        for row in rows {
            if let total = capture(Pattern.chinesePages, in: row.compactText).flatMap(Int.init), total > pages { return false }
            if let total = capture(Pattern.englishPages, in: row.text).flatMap(Int.init), total > pages { return false }
        }
        return true
    }

    /// Labels that precede a hospital's name on a form.
    private static func strip(_ hospital: String) -> String {
        var name = hospital
        for label in ["收款单位(章):", "收款单位:", "收款单位", "医疗机构:", "医疗机构名称:", "医院名称:", "开票单位:", "(章)", ":", "："] {
            if let range = name.range(of: label) { name = String(name[range.upperBound...]) }
        }
        return name
    }

    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]

    /// A date in any of the printed forms, as ISO `YYYY-MM-DD`. Where a line prints two
    /// (入院日期 … 出院日期 …), the last is the billing date.
    static func date(in text: String) -> String? {
        let compact = text.replacingOccurrences(of: " ", with: "")
        if let regex = Pattern.numericDate,
            let match = regex.matches(in: compact, range: NSRange(compact.startIndex..., in: compact)).last,
            let year = Range(match.range(at: 1), in: compact), let month = Range(match.range(at: 2), in: compact),
            let day = Range(match.range(at: 3), in: compact)
        {
            return iso(String(compact[year]), String(compact[month]), String(compact[day]))
        }
        let lower = text.lowercased()
        if let parts = captures(Pattern.dayMonthYear, in: lower), let month = months.firstIndex(of: parts[1]) {
            return iso(parts[2], "\(month + 1)", parts[0])
        }
        if let parts = captures(Pattern.monthDayYear, in: lower), let month = months.firstIndex(of: parts[0]) {
            return iso(parts[2], "\(month + 1)", parts[1])
        }
        return nil
    }

    private static func iso(_ year: String, _ month: String, _ day: String) -> String? {
        guard let y = Int(year), let m = Int(month), let d = Int(day), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    static func capture(_ regex: NSRegularExpression?, in text: String) -> String? {
        captures(regex, in: text)?.first
    }

    static func captures(_ regex: NSRegularExpression?, in text: String) -> [String]? {
        guard let regex,
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return (1..<match.numberOfRanges).compactMap { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
    }

    /// The expressions, compiled once: parsing runs them on every row of every page.
    enum Pattern {
        static let invoiceCode = try? NSRegularExpression(pattern: #"(?:票据代码|发票代码|Invoicecode)[:：]?\s*([0-9A-Za-z]{6,})"#)
        // A retail receipt's 单号 / 销售单号 is its number; 处方单号 or 住院单号 (another
        // word before it) is not. A hospital receipt (收据) prints 收据号.
        static let invoiceNumber = try? NSRegularExpression(pattern: #"(?:票据号码|发票号码|收据号码|收据号|(?<![\p{Han}])(?:销售)?单号|Invoiceno\.?|InvoiceNo\.?|Invoicenumber|BillNo\.?)[:：#]?\s*([0-9A-Za-z-]{4,})"#)
        static let chineseIssuer = try? NSRegularExpression(pattern: #"([\p{Han}]{2,30}?(?:医院|卫生院|诊所|卫生服务中心|大药房|药房|药店|医药连锁|医药)(?:\([\p{Han}]{1,10}\))?)"#)
        static let englishIssuer = try? NSRegularExpression(pattern: #"([A-Z][A-Za-z.' ]+(?:Hospital|Clinic|Medical Center|Medical Centre))"#)
        static let chinesePatient = try? NSRegularExpression(pattern: #"(?:患者姓名|姓名|患者|交款人|病人)[:：]?\s*([\p{Han}]{2,3})"#)
        static let englishPatient = try? NSRegularExpression(pattern: #"(?:Patient|Patient name|Name)\s*[:：]\s*([A-Z][A-Za-z'-]+(?: [A-Z][A-Za-z'-]+){0,3})"#)
        static let chinesePages = try? NSRegularExpression(pattern: #"共\s*(\d+)\s*页"#)
        static let englishPages = try? NSRegularExpression(pattern: #"(?i)page\s*\d+\s*of\s*(\d+)"#)
        static let dayMonthYear = try? NSRegularExpression(pattern: #"(\d{1,2})\s+([a-z]+)\s+(20\d\d)"#)
        static let monthDayYear = try? NSRegularExpression(pattern: #"([a-z]+)\s+(\d{1,2}),?\s+(20\d\d)"#)
        static let numericDate = try? NSRegularExpression(pattern: #"(20\d\d)[年\-/.](\d{1,2})[月\-/.](\d{1,2})"#)
    }
}
