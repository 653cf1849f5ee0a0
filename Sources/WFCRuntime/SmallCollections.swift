/// A list that keeps its first element inline: the usual single element (one open task, one
/// authorized transition) needs no allocation.
struct SmallList<Element>: Sequence {
    private(set) var first: Element?
    private var rest: [Element] = []

    var isEmpty: Bool { first == nil }

    mutating func append(_ element: Element) {
        if first == nil { first = element } else { rest.append(element) }
    }

    func makeIterator() -> Iterator { Iterator(list: self) }

    struct Iterator: IteratorProtocol {
        let list: SmallList
        var index = -1 // -1: `first`, then `rest`

        mutating func next() -> Element? {
            defer { index += 1 }
            if index < 0 { return list.first }
            return index < list.rest.count ? list.rest[index] : nil
        }
    }
}

/// The keys of a dictionary in ascending order. A payload has a few fields: picking the next
/// least key each time allocates nothing, where sorting them made a list. Larger dictionaries
/// are sorted.
struct AscendingKeys<Value>: Sequence, IteratorProtocol {
    private let dict: [String: Value]
    private var last: String?
    private var sorted: IndexingIterator<[String]>?

    init(_ dict: [String: Value]) {
        self.dict = dict
        if dict.count > 8 { sorted = dict.keys.sorted().makeIterator() }
    }

    mutating func next() -> String? {
        if sorted != nil { return sorted?.next() }
        var least: String?
        for k in dict.keys where last.map({ k > $0 }) ?? true {
            if least.map({ k < $0 }) ?? true { least = k }
        }
        last = least
        return least
    }
}
