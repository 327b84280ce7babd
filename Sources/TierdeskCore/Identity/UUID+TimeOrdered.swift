import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562, section 5.7): 48 bits of Unix time in milliseconds, then 74 random bits.
    ///
    /// Identifiers made one after another sort one after another, so a new row lands at the end of every
    /// index on its id instead of on a random page of it: a batch of new tickets and events touches a few
    /// pages rather than one per row. The time is read from the system clock only to place the id; nothing
    /// reads it back, so logic that depends on time still takes its clock. Use `UUID()` where an identifier
    /// must not reveal when it was made.
    public static func timeOrdered() -> UUID {
        timeOrdered(milliseconds: UInt64(max(0, Date().timeIntervalSince1970 * 1_000)))
    }

    /// A version 7 UUID for this many milliseconds since 1970 (tests give the instant).
    public static func timeOrdered(milliseconds: UInt64) -> UUID {
        var generator = SystemRandomNumberGenerator()
        let random: (UInt64, UInt64) = (generator.next(), generator.next())
        let time = milliseconds & 0xFFFF_FFFF_FFFF
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: time >> 40),
                UInt8(truncatingIfNeeded: time >> 32),
                UInt8(truncatingIfNeeded: time >> 24),
                UInt8(truncatingIfNeeded: time >> 16),
                UInt8(truncatingIfNeeded: time >> 8),
                UInt8(truncatingIfNeeded: time),
                0x70 | UInt8(truncatingIfNeeded: random.0 >> 60),  // version 7
                UInt8(truncatingIfNeeded: random.0 >> 52),
                0x80 | UInt8(truncatingIfNeeded: random.0 >> 46) & 0x3F,  // variant 10
                UInt8(truncatingIfNeeded: random.0 >> 38),
                UInt8(truncatingIfNeeded: random.0 >> 30),
                UInt8(truncatingIfNeeded: random.0 >> 22),
                UInt8(truncatingIfNeeded: random.1 >> 56),
                UInt8(truncatingIfNeeded: random.1 >> 48),
                UInt8(truncatingIfNeeded: random.1 >> 40),
                UInt8(truncatingIfNeeded: random.1 >> 32)
            )
        )
    }
}
