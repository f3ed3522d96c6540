/// A memory of things that went away, for the changes that only mean something against the past (a channel back on
/// another address, a core back without announcing). It holds at most `capacity` entries and forgets the oldest
/// first, so that watch keeps the same memory over hours of events.
struct BoundedMemory<Key: Hashable, Value> {
    let capacity: Int
    private var entries: [Key: (order: UInt64, value: Value)] = [:]
    private var counter: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { entries.count }

    subscript(key: Key) -> Value? { entries[key]?.value }

    mutating func remember(_ value: Value, for key: Key) {
        counter += 1
        entries[key] = (counter, value)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.order < $1.value.order })?.key {
            entries.removeValue(forKey: oldest)
        }
    }

    @discardableResult
    mutating func forget(_ key: Key) -> Value? {
        entries.removeValue(forKey: key)?.value
    }
}
