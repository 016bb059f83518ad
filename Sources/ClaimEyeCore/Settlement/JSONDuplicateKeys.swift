import Foundation

/// Finds a key written twice in one JSON object. JSON decoders keep one of the two values
/// without a word (Foundation's, the first), so `{"amount": 20, "amount": 1000000}` would
/// settle whichever it kept; a claim must say each thing once. The data is valid JSON
/// (it is decoded first); keys are compared as written.
enum JSONDuplicateKeys {
    private enum Frame {
        case object(path: String, keys: Set<[UInt8]>, key: String?)
        case array(path: String, index: Int)
    }

    /// The path of the first key that repeats (`items[0].amount`), or nil.
    static func first(in data: Data) -> String? {
        let bytes = [UInt8](data)
        var stack: [Frame] = []
        var expectingKey = false
        var i = 0
        func valuePath() -> String {
            switch stack.last {
            case .object(let path, _, let key)?: return path.isEmpty ? key ?? "" : path + "." + (key ?? "")
            case .array(let path, let index)?: return (path.isEmpty ? "$" : path) + "[\(index)]"
            case nil: return ""
            }
        }
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"):
                stack.append(.object(path: valuePath(), keys: [], key: nil))
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(.array(path: valuePath(), index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                stack.removeLast()
                expectingKey = false
            case UInt8(ascii: ","):
                if case .array(let path, let index)? = stack.last {
                    stack[stack.count - 1] = .array(path: path, index: index + 1)
                } else {
                    expectingKey = true
                }
            case UInt8(ascii: "\""):
                var end = i + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
                if expectingKey, case .object(let path, var keys, _)? = stack.last {
                    let raw = Array(bytes[(i + 1)..<min(end, bytes.count)])
                    let key = String(decoding: raw, as: UTF8.self)
                    if !keys.insert(raw).inserted { return path.isEmpty ? key : path + "." + key }
                    stack[stack.count - 1] = .object(path: path, keys: keys, key: key)
                    expectingKey = false
                }
                i = end
            default:
                break
            }
            i += 1
        }
        return nil
    }
}
