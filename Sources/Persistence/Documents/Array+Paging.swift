extension Array {
    /// Cuts rows fetched with `LIMIT limit + 1` down to a page of `limit` and returns whether the extra row was
    /// there, which is how keyset pagination knows another page exists without counting.
    mutating func trimToPage(limit: Int) -> Bool {
        guard count > limit else { return false }
        removeLast(count - limit)
        return true
    }
}
