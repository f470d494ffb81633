public import CSupport

extension UnsafeBufferPointer {
  /// Asks the processor for the cache line of element `i` ahead of a read (a hint:
  /// nothing is read, and an index out of range reads nothing either). Hot loops over
  /// scattered places ask for those of the iterations a few ahead, so that their cache
  /// misses overlap rather than stall one iteration each.
  ///
  /// - Parameter i: The element's index.
  @inlinable @inline(__always) public func prefetch(at i: Int) {
    if let base = baseAddress, i >= 0, i < count { lineage_prefetch(base + i) }
  }
}

extension UnsafeMutableBufferPointer {
  /// Asks for the cache line of element `i` ahead of a read or write (see
  /// `UnsafeBufferPointer.prefetch(at:)`).
  ///
  /// - Parameter i: The element's index.
  @inlinable @inline(__always) public func prefetch(at i: Int) {
    if let base = baseAddress, i >= 0, i < count { lineage_prefetch(base + i) }
  }
}
