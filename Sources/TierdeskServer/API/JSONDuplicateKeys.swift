import Foundation

/// Finds a key that appears twice in one JSON object. Decoders disagree on which copy wins (Foundation
/// takes the first, most proxies and gateways the last), so a body with a repeated key could mean one
/// thing to a filter in front and another to Tierdesk: such a body is refused.
///
/// A single pass over the bytes that follows strings (with escapes decoded, so `"a"` and `"\u0061"` are
/// the same key), objects and arrays; anything else is left for the JSON decoder to judge.
enum JSONDuplicateKeys {
    /// The path of the first repeated key (`items[2].title`), or nil.
    static func first(in data: Data) -> String? {
        data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.scan()
        }
    }

    private struct Scanner {
        enum Container {
            case object(keys: Set<String>, path: String, expectingKey: Bool, lastKey: String?)
            case array(path: String, index: Int)
        }

        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var stack: [Container] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func scan() -> String? {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "{"):
                    stack.append(.object(keys: [], path: currentPath(), expectingKey: true, lastKey: nil))
                    index += 1
                case UInt8(ascii: "["):
                    stack.append(.array(path: currentPath(), index: 0))
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if !stack.isEmpty { stack.removeLast() }
                    index += 1
                case UInt8(ascii: ","):
                    if case .object(let keys, let path, _, _)? = stack.last {
                        stack[stack.count - 1] = .object(keys: keys, path: path, expectingKey: true, lastKey: nil)
                    } else if case .array(let path, let position)? = stack.last {
                        stack[stack.count - 1] = .array(path: path, index: position + 1)
                    }
                    index += 1
                case UInt8(ascii: "\""):
                    guard let text = string() else { return nil }
                    if case .object(var keys, let path, true, _)? = stack.last {
                        if !keys.insert(text).inserted { return join(path, text) }
                        stack[stack.count - 1] = .object(keys: keys, path: path, expectingKey: false, lastKey: text)
                    }
                default:
                    index += 1
                }
            }
            return nil
        }

        /// The path of the value about to start.
        private func currentPath() -> String {
            switch stack.last {
            case .object(_, let path, _, let key?)?: join(path, key)
            case .array(let path, let position)?: "\(path)[\(position)]"
            default: ""
            }
        }

        private func join(_ path: String, _ key: String) -> String {
            path.isEmpty ? key : "\(path).\(key)"
        }

        /// Reads a string starting at its opening quote; nil if it never ends.
        private mutating func string() -> String? {
            index += 1
            var output: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: output, as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    let escaped = bytes[index + 1]
                    index += 2
                    switch escaped {
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count, let unit = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
                        index += 4
                        var units = [unit]
                        // A surrogate pair is one character.
                        if (0xD800..<0xDC00).contains(unit), index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                           let low = UInt16(String(decoding: bytes[index + 2..<index + 6], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low) {
                            units.append(low)
                            index += 6
                        }
                        output += Array(String(decoding: units, as: UTF16.self).utf8)
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    default: output.append(escaped)
                    }
                    continue
                }
                output.append(byte)
                index += 1
            }
            return nil
        }
    }
}
