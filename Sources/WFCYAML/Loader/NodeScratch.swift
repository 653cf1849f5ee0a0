/// A stack of finished child nodes whose tops are moved (not copied) into their parent
/// collection when it closes: no retain/release traffic and one exact-size allocation per
/// collection.
final class NodeScratch {
    private var base: UnsafeMutablePointer<YAMLNode>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func push(_ node: YAMLNode) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<YAMLNode>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: node)
        count += 1
    }

    /// The last node, if any (its span is used to end block collections).
    var last: YAMLNode? { count > 0 ? base[count - 1] : nil }

    /// Moves the nodes from `start` to the top into a new array.
    func popSequence(from start: Int) -> [YAMLNode] {
        let n = count - start
        guard n > 0 else { return [] }
        let array = [YAMLNode](unsafeUninitializedCapacity: n) { buffer, initialized in
            buffer.baseAddress?.moveInitialize(from: base + start, count: n)
            initialized = n
        }
        count = start
        return array
    }

    /// Moves alternating keys and values from `start` to the top into pairs.
    func popPairs(from start: Int) -> [YAMLPair] {
        let n = (count - start) / 2
        guard n > 0 else {
            base.advanced(by: start).deinitialize(count: count - start)
            count = start
            return []
        }
        let array = [YAMLPair](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n {
                let k = (base + start + 2 * i).move()
                let v = (base + start + 2 * i + 1).move()
                (buffer.baseAddress! + i).initialize(to: YAMLPair(key: k, value: v))
            }
            initialized = n
        }
        let rest = count - start - 2 * n
        if rest > 0 { (base + start + 2 * n).deinitialize(count: rest) }
        count = start
        return array
    }
}
