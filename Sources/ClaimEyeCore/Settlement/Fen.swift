import Foundation

/// An amount of money in fen (分, 0.01 yuan), held as an integer: settlement rounds
/// every line to the fen once, then adds, allocates and compares exact integers, so
/// totals always reconcile.
public struct Fen: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    /// The number of fen; negative for refunds.
    public var value: Int64

    /// No money.
    public static let zero = Fen(0)

    public init(_ value: Int64) { self.value = value }

    /// Rounds a yuan amount half-up (away from zero) to the fen.
    public init(yuan: Decimal) {
        self.init(roundingFen: yuan * 100)
    }

    /// Rounds an amount already counted in fen half-up (away from zero) to a whole fen.
    public init(roundingFen fen: Decimal) {
        var input = fen
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .plain)
        value = NSDecimalNumber(decimal: rounded).int64Value
    }

    /// The amount in yuan, exactly.
    public var yuan: Decimal {
        Decimal(sign: value < 0 ? .minus : .plus, exponent: -2, significand: Decimal(value.magnitude))
    }

    /// Two decimals, e.g. `12.50`, `-3.00`, `0.00`: how JSON and tables carry money.
    public var description: String {
        let magnitude = value.magnitude
        let cents = magnitude % 100
        return (value < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.value < rhs.value }
    public static func + (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.value + rhs.value) }
    public static func - (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.value - rhs.value) }
    public static prefix func - (amount: Fen) -> Fen { Fen(-amount.value) }

    /// This amount times a ratio, rounded half-up to the fen.
    public func times(_ ratio: Decimal) -> Fen {
        if ratio == 0 || value == 0 { return .zero }
        if ratio == 1 { return self }
        return Fen(roundingFen: Decimal(value) * ratio)
    }
}

extension Fen {
    /// Splits `total` over `weights` in proportion, in whole fen, so that the shares add
    /// up to `total` exactly (largest-remainder method). Each share is first the floor of
    /// its exact proportional value; the fen left over go one each to the shares with the
    /// largest remainders, ties to the earlier index, so the result is deterministic.
    /// Weights may be negative (refund lines) as long as their sum is positive; with a
    /// sum of zero or less, or a total of zero or less, every share is zero.
    public static func allocate(_ total: Fen, over weights: [Fen]) -> [Fen] {
        let sum = weights.reduce(Int64(0)) { $0 + $1.value }
        guard sum > 0, total > .zero else { return Array(repeating: .zero, count: weights.count) }
        var shares = [Fen]()
        shares.reserveCapacity(weights.count)
        var remainders = [(remainder: Int64, index: Int)]()
        remainders.reserveCapacity(weights.count)
        var given: Int64 = 0
        for (index, weight) in weights.enumerated() {
            // total × weight can exceed 64 bits; multiply and divide at double width.
            let exact = total.value.multipliedFullWidth(by: weight.value)
            var (quotient, remainder) = sum.dividingFullWidth(exact)
            // Floor division (toward −∞), so every remainder is in 0 ..< sum.
            if remainder < 0 {
                quotient -= 1
                remainder += sum
            }
            shares.append(Fen(quotient))
            given += quotient
            if remainder > 0 { remainders.append((remainder, index)) }
        }
        var left = total.value - given
        if left > 0 {
            remainders.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
            for entry in remainders where left > 0 {
                shares[entry.index].value += 1
                left -= 1
            }
        }
        return shares
    }
}
