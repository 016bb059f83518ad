import Foundation

extension ISODate {
    /// Days since 1970-01-01 of a valid ISO date (the proleptic Gregorian calendar), for
    /// counting the days between two dates; nil for text that is not a date.
    static func dayNumber(_ text: String) -> Int? {
        guard isValid(text) else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        // Howard Hinnant's days_from_civil: exact for every Gregorian date.
        let year = parts[1] <= 2 ? parts[0] - 1 : parts[0]
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let month = parts[1]
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + parts[2] - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
