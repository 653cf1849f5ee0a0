/// Ids by name. A workflow has a handful of roles and fields and a few dozen states: below
/// ``linearLimit`` names, a scan of small strings beats hashing each name looked up; above
/// it, a dictionary keeps large workflows linear.
struct NameIndex {
    static let linearLimit = 8
    private var names: [String] = []
    private var ids: [Int] = []
    private var table: [String: Int]?

    init(capacity: Int = 0) {
        if capacity > Self.linearLimit { table = Dictionary(minimumCapacity: capacity) }
    }

    /// The id of `name`, if it has one.
    func id(of name: String) -> Int? {
        if let table { return table[name] }
        for i in names.indices where names[i] == name { return ids[i] }
        return nil
    }

    /// Gives `name` the id `id` unless it already has one; returns the earlier id then.
    mutating func insert(_ name: String, id newID: Int) -> Int? {
        if let existing = id(of: name) { return existing }
        if table != nil {
            table?[name] = newID
            return nil
        }
        names.append(name)
        ids.append(newID)
        if names.count > Self.linearLimit {
            table = Dictionary(uniqueKeysWithValues: zip(names, ids))
            names = []
            ids = []
        }
        return nil
    }

    /// Every name with an id, in no particular order.
    var allNames: [String] { table.map { Array($0.keys) } ?? names }
}
