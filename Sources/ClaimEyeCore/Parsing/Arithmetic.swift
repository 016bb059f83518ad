import Foundation

/// Arithmetic as evidence: quantity × unit price = amount, to the fen.
enum Arithmetic {
    /// Checks a line; where it disagrees, tries the readings one OCR slip away in each
    /// field, the least confident field first, and keeps the first that agrees (flag
    /// `repaired`). Where none does, keeps the reading and flags `arithmeticMismatch`.
    /// A missing amount or unit price is derived from the other two.
    static func check(_ item: LineItem) -> LineItem {
        var item = item
        // A speck read as a minus sign before a price or an amount: of a positive
        // quantity, one of the two negative and the line agreeing with both positive.
        // (A refund prints both negative, or the quantity.)
        if let quantity = item.quantity?.value, let price = item.unitPrice?.value, let amount = item.amount?.value,
            quantity > 0, (price < 0) != (amount < 0), agrees(quantity, abs(price), abs(amount))
        {
            item.unitPrice?.value = abs(price)
            item.amount?.value = abs(amount)
            item = repaired(item)
        }
        if let quantity = item.quantity?.value, quantity < 0 || (item.amount?.value ?? 0) < 0 {
            if !item.flags.contains(.refund) { item.flags.append(.refund) }
        }
        if item.quantity == nil, let price = item.unitPrice?.value, let amount = item.amount?.value, price != 0 {
            // An empty quantity cell: the quantity the other two imply, when whole.
            let implied = amount / price
            if isWhole(implied) {
                item.quantity = Read(implied, confidence: 0.5)
                return repaired(item)
            }
        }
        guard let quantity = item.quantity, let price = item.unitPrice else { return item }
        guard let amount = item.amount else {
            item.amount = Read(Money.roundToFen(quantity.value * price.value), confidence: min(quantity.confidence, price.confidence) * 0.9)
            return item
        }
        if agrees(quantity.value, price.value, amount.value) { return item }

        let fields: [(Double, Int)] = [(quantity.confidence, 0), (price.confidence, 1), (amount.confidence, 2)]
        for (_, field) in fields.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            switch field {
            case 0:
                for candidate in NumberReading.alternatives(of: digits(quantity.value)) where agrees(candidate, price.value, amount.value) {
                    item.quantity?.value = candidate
                    return repaired(item)
                }
            case 1:
                for candidate in NumberReading.alternatives(of: digits(price.value)) where agrees(quantity.value, candidate, amount.value) {
                    item.unitPrice?.value = candidate
                    return repaired(item)
                }
            default:
                for candidate in NumberReading.alternatives(of: digits(amount.value)) where agrees(quantity.value, price.value, candidate) {
                    item.amount?.value = candidate
                    return repaired(item)
                }
            }
        }
        // A unit price read with its point lost and a digit too many (`200o` for 2.00):
        // the price that quantity and amount imply, when its digits begin the reading's.
        if quantity.value != 0 {
            let implied = Money.roundToFen(amount.value / quantity.value)
            let impliedDigits = Money.format(implied).filter(\.isNumber).drop { $0 == "0" }
            let readDigits = digits(price.value).filter(\.isNumber).drop { $0 == "0" }
            if Arithmetic.agrees(quantity.value, implied, amount.value), !impliedDigits.isEmpty,
                readDigits.hasPrefix(impliedDigits) || impliedDigits.hasPrefix(readDigits),
                abs(readDigits.count - impliedDigits.count) <= 1
            {
                item.unitPrice?.value = implied
                return repaired(item)
            }
        }
        // A quantity that is no whole number (`33.29`: a lab result printed beside it,
        // taken for it) where price and amount imply a whole one: the implied quantity.
        if !isWhole(quantity.value), price.value > 0, amount.value > 0 {
            let implied = amount.value / price.value
            if implied >= 1, isWhole(implied) {
                item.quantity?.value = implied
                return repaired(item)
            }
        }
        // A unit price printed rounded to the fen (herbs by the gram: 0.14 printed for
        // 1.89 / 14 = 0.135): the line stands as read, or with the one price reading a
        // slip away that is its amount per unit, rounded.
        if pricedRounded(quantity.value, price.value, amount.value) { return item }
        for candidate in NumberReading.alternatives(of: digits(price.value)) where pricedRounded(quantity.value, candidate, amount.value) {
            item.unitPrice?.value = candidate
            return repaired(item)
        }
        // An amount read one digit off quantity × price (`61.34` for 14 × 4.41 = 61.74),
        // of a quantity above one, where no price one digit off the one read multiplies
        // out to the amount (10 × 11.00 beside 112.00 may be 11.20 misread, as likely as
        // 112.00 misread); of a quantity of one, price and amount are the same number
        // read twice, and nothing says which reading slipped.
        if quantity.value > 1 {
            let product = Money.roundToFen(quantity.value * price.value)
            let priceOfAmount = Money.roundToFen(amount.value / quantity.value)
            let priceSlipped = agrees(quantity.value, priceOfAmount, amount.value) && oneDigitOff(priceOfAmount, of: price.value)
            if !priceSlipped, oneDigitOff(amount.value, of: product) {
                item.amount?.value = product
                return repaired(item)
            }
        }
        if !item.flags.contains(.arithmeticMismatch) { item.flags.append(.arithmeticMismatch) }
        return item
    }

    /// True when `read` and `full`, printed with two decimals, have the same number of
    /// digits and differ in exactly one of them.
    static func oneDigitOff(_ read: Decimal, of full: Decimal) -> Bool {
        let a = Array(Money.format(read)), b = Array(Money.format(full))
        guard read > 0, full > 0, a.count == b.count else { return false }
        return zip(a, b).filter { $0 != $1 }.count == 1
    }

    /// True when `price` is the amount per unit rounded to the fen, of a quantity above
    /// one: a unit price printed rounded, beside the amount charged.
    static func pricedRounded(_ quantity: Decimal, _ price: Decimal, _ amount: Decimal) -> Bool {
        quantity > 1 && price > 0 && amount > 0 && Money.roundToFen(amount / quantity) == price
    }

    /// Lines = category subtotal: where a category's checked lines do not sum to the
    /// subtotal printed under them, the one line whose amount as read (before a line
    /// repair), or one OCR slip from it, makes them agree takes that amount, and its
    /// unit price follows where the quantity divides it to the fen. Only lines whose own
    /// arithmetic was in doubt (repaired, flagged, or short of a number) are candidates,
    /// only where exactly one line and reading does, and not where the subtotal itself
    /// is one slip from the lines' sum (then it is the subtotal that was misread).
    static func reconcile(_ items: [LineItem], read raw: [LineItem], subtotals: [(range: Range<Int>, value: Decimal)]) -> [LineItem] {
        var items = items
        for (range, value) in subtotals where range.upperBound <= items.count && !range.isEmpty {
            let amounts = items[range].compactMap(\.amount?.value)
            guard amounts.count == range.count else { continue }
            let sum = amounts.reduce(0, +)
            guard sum != value, !NumberReading.alternatives(of: digits(sum)).contains(value),
                !NumberReading.alternatives(of: digits(value)).contains(sum)
            else { continue }
            var fixes: [(index: Int, amount: Decimal)] = []
            for index in range {
                let line = items[index]
                let inDoubt = line.flags.contains(.repaired) || line.flags.contains(.arithmeticMismatch)
                    || line.quantity == nil || line.unitPrice == nil
                guard inDoubt, let checked = line.amount?.value, let read = raw[index].amount?.value else { continue }
                let needed = value - (sum - checked)
                guard needed > 0, needed != checked else { continue }
                if read == needed || NumberReading.alternatives(of: digits(read)).contains(needed) { fixes.append((index, needed)) }
            }
            guard fixes.count == 1, let fix = fixes.first else { continue }
            var item = items[fix.index]
            item.amount?.value = fix.amount
            if let quantity = item.quantity?.value, quantity != 0 {
                let price = Money.roundToFen(fix.amount / quantity)
                if agrees(quantity, price, fix.amount) { item.unitPrice?.value = price }
            }
            item.flags.removeAll { $0 == .arithmeticMismatch }
            if let quantity = item.quantity?.value, let price = item.unitPrice?.value, !agrees(quantity, price, fix.amount) {
                item.flags.append(.arithmeticMismatch)
            }
            items[fix.index] = repaired(item)
        }
        return items
    }

    /// True when an amount printed with two decimals was read cut short by the table's
    /// edge, a rule or a stamp (`5.6` for 5.67, `20.6` for 20.16): its token `text` has
    /// fewer than two digits after the point, the value read has the same whole part as
    /// `full`, and the digits after its point are in `full`'s, in order.
    static func cutShort(_ text: String, read: Decimal, of full: Decimal) -> Bool {
        guard let point = text.lastIndex(of: "."), text[text.index(after: point)...].filter(\.isNumber).count < 2 else { return false }
        func parts(_ value: Decimal) -> (whole: Substring, fraction: Substring) {
            let text = Money.format(value)
            let point = text.firstIndex(of: ".") ?? text.endIndex
            let fraction = text[point...].dropFirst()
            return (text[..<point], fraction.prefix(fraction.count - fraction.reversed().prefix { $0 == "0" }.count))
        }
        let (readWhole, readFraction) = parts(read), (fullWhole, fullFraction) = parts(full)
        guard full > 0, readWhole == fullWhole, readFraction.count < fullFraction.count else { return false }
        var rest = fullFraction[...]
        for digit in readFraction {
            guard let found = rest.firstIndex(of: digit) else { return false }
            rest = rest[rest.index(after: found)...]
        }
        return true
    }

    /// True when an amount was read with its first digits lost under a stamp, a mark or
    /// the paper's edge (`X 16` for 7 × 2.88 = 20.16), of a quantity above one: its token
    /// `text` has no point and two digits or more, and they end the digits of `full`
    /// printed with two decimals, which is the larger.
    static func headLost(_ text: String, read: Decimal, of full: Decimal, quantity: Decimal) -> Bool {
        let digits = text.filter { $0.isASCII && $0.isNumber }
        guard quantity > 1, !text.contains("."), !text.contains(","), digits.count >= 2, read > 0, full > read else { return false }
        let printed = Money.format(full).filter(\.isNumber)
        return printed.count > digits.count && printed.hasSuffix(digits)
    }

    static func agrees(_ quantity: Decimal, _ price: Decimal, _ amount: Decimal) -> Bool {
        Money.roundToFen(quantity * price) == Money.roundToFen(amount)
    }

    /// The digits of a value as they would be printed: money with two decimals.
    static func digits(_ value: Decimal) -> String {
        let plain = "\(value)"
        return plain.contains(".") ? Money.format(value) : plain
    }

    static func isWhole(_ value: Decimal) -> Bool {
        value == Decimal(Int(truncating: NSDecimalNumber(decimal: value)))
    }

    private static func repaired(_ item: LineItem) -> LineItem {
        var item = item
        if !item.flags.contains(.repaired) { item.flags.append(.repaired) }
        return item
    }
}
