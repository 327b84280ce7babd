import Foundation

/// Finds a key that appears twice in one JSON object. Decoders disagree on which copy wins (Foundation
/// takes the first, most proxies and gateways the last), so a body with a repeated key could mean one
/// thing to a filter in front and another to Tierdesk: such a body is refused.
///
/// A single pass over the bytes that follows strings (with escapes decoded, so `"a"` and `"\u0061"` are
/// the same key), objects and arrays; anything else is left for the JSON decoder to judge.
enum JSONDuplicateKeys {
    /// Deepest nesting taken; deeper bodies are refused before anything else reads them.
    static let maxDepth = 64

    /// What the scan found.
    enum Finding: Equatable {
        /// A key repeated in one object, with its path (`items[2].title`).
        case duplicate(String)
        /// Objects and arrays nested deeper than ``maxDepth``.
        case tooDeep
    }

    /// The first repeated key or too deep a nesting, or nil.
    static func first(in data: Data) -> Finding? {
        data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.scan()
        }
    }

    private struct Scanner {
        /// Where a container sits in its parent: the key or the position. Paths are only spelt out
        /// when a duplicate is found, so each level costs the same whatever its depth.
        enum Step {
            case key(String)
            case index(Int)
            case root
        }

        /// One open object or array; its keys are kept apart so that they are changed in place.
        struct Frame {
            var isObject: Bool
            var expectingKey: Bool
            var position = 0
            var lastKey: String?
            var step: Step
        }

        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var frames: [Frame] = []
        var keys: [Set<String>] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func scan() -> Finding? {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard frames.count < JSONDuplicateKeys.maxDepth else { return .tooDeep }
                    let isObject = byte == UInt8(ascii: "{")
                    frames.append(Frame(isObject: isObject, expectingKey: isObject, step: currentStep()))
                    keys.append([])
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if !frames.isEmpty {
                        frames.removeLast()
                        keys.removeLast()
                    }
                    index += 1
                case UInt8(ascii: ","):
                    if !frames.isEmpty {
                        let last = frames.count - 1
                        if frames[last].isObject {
                            frames[last].expectingKey = true
                            frames[last].lastKey = nil
                        } else {
                            frames[last].position += 1
                        }
                    }
                    index += 1
                case UInt8(ascii: "\""):
                    let last = frames.count - 1
                    guard last >= 0, frames[last].expectingKey else {
                        // A value: skipped without being read.
                        guard skipString() else { return nil }
                        continue
                    }
                    guard let text = string() else { return nil }
                    if !keys[last].insert(text).inserted { return .duplicate(path(ending: text)) }
                    frames[last].expectingKey = false
                    frames[last].lastKey = text
                default:
                    index += 1
                }
            }
            return nil
        }

        /// The step of the value about to start within the innermost container.
        private func currentStep() -> Step {
            guard let frame = frames.last else { return .root }
            if frame.isObject { return frame.lastKey.map(Step.key) ?? .root }
            return .index(frame.position)
        }

        /// The path of `key` in the innermost object.
        private func path(ending key: String) -> String {
            var text = ""
            for frame in frames.dropFirst() {
                switch frame.step {
                case .key(let name): text += text.isEmpty ? name : ".\(name)"
                case .index(let position): text += "[\(position)]"
                case .root: break
                }
            }
            return text.isEmpty ? key : "\(text).\(key)"
        }

        /// Moves past a string starting at its opening quote; false if it never ends.
        private mutating func skipString() -> Bool {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return true
                case UInt8(ascii: "\\"):
                    index += 2
                default:
                    index += 1
                }
            }
            return false
        }

        /// Reads a string starting at its opening quote; nil if it never ends. Without escapes (the usual
        /// key) its bytes are taken as they are.
        private mutating func string() -> String? {
            var end = index + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                defer { index = end + 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end]), as: UTF8.self)
            }
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
                        guard index + 4 <= bytes.count,
                            let unit = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                        else { return nil }
                        index += 4
                        var units = [unit]
                        // A surrogate pair is one character.
                        if (0xD800..<0xDC00).contains(unit), index + 6 <= bytes.count,
                            bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                            let low = UInt16(String(decoding: bytes[index + 2..<index + 6], as: UTF8.self), radix: 16),
                            (0xDC00..<0xE000).contains(low)
                        {
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
