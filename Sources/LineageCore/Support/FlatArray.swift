/// A flat array of plain values that lives either in an ordinary Swift array or in
/// memory that something else keeps alive, a memory-mapped graph image
/// (``GraphImage``) above all: a graph read from its image uses the image's pages in
/// place instead of copying hundreds of megabytes into the heap.
///
/// Reading works the same on either storage. The first change to an array that views
/// someone else's memory copies it into an array of its own (copy on write), so a
/// mapped image is never written. Hot loops read through ``withUnsafeBufferPointer(_:)``
/// as they would with `Array`.
public struct FlatArray<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
  /// The elements, when they are owned.
  @usableFromInline var owned: [Element]
  /// The elements, when they live in memory that `keeper` keeps alive.
  @usableFromInline var view: UnsafeBufferPointer<Element>?
  /// What keeps `view`'s memory alive (a mapped file); nil for owned elements.
  @usableFromInline var keeper: AnyObject?

  /// An empty array.
  @inlinable public init() {
    owned = []
    view = nil
    keeper = nil
  }

  /// The elements of a Swift array, owned.
  ///
  /// - Parameter array: The elements.
  @inlinable public init(_ array: [Element]) {
    owned = array
    view = nil
    keeper = nil
  }

  /// `count` copies of `value`, owned.
  ///
  /// - Parameters:
  ///   - value: The element.
  ///   - count: How many.
  @inlinable public init(repeating value: Element, count: Int) {
    self.init([Element](repeating: value, count: count))
  }

  /// Elements that live in memory that `keeper` keeps alive and nobody writes while
  /// it lives (a read-only mapping).
  ///
  /// - Parameters:
  ///   - view: The elements, properly aligned.
  ///   - keeper: The owner of the memory; retained as long as the array or a copy lives.
  public init(viewing view: UnsafeBufferPointer<Element>, keptBy keeper: AnyObject) {
    owned = []
    self.view = view
    self.keeper = keeper
  }

  /// True when the elements live in memory the array does not own.
  public var isView: Bool { view != nil }

  /// Calls `body` with the elements as one contiguous buffer.
  ///
  /// - Parameter body: What to do with the elements; the buffer is valid only during the call.
  /// - Returns: What `body` returns.
  /// - Throws: What `body` throws.
  @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
    // `self` holds `keeper` for the length of the call.
    if let view { return try body(view) }
    return try owned.withUnsafeBufferPointer(body)
  }

  /// Calls `body` with the elements' bytes.
  ///
  /// - Parameter body: What to do with the bytes; they are valid only during the call.
  /// - Returns: What `body` returns.
  /// - Throws: What `body` throws.
  @inlinable public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
  }

  /// Makes the elements the array's own (a copy of a viewed memory), ready to change.
  @inlinable mutating func own() {
    guard let v = view else { return }
    owned = Array(v)
    view = nil
    keeper = nil
  }

  /// Calls `body` with the elements as one mutable buffer, copying viewed memory first.
  ///
  /// - Parameter body: What to do with the elements; the buffer is valid only during the call.
  /// - Returns: What `body` returns.
  /// - Throws: What `body` throws.
  @inlinable public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Element>) throws -> R
  ) rethrows -> R {
    own()
    return try owned.withUnsafeMutableBufferPointer(body)
  }

  /// Appends an element.
  ///
  /// - Parameter element: The element.
  @inlinable public mutating func append(_ element: Element) {
    own()
    owned.append(element)
  }

  /// Appends elements.
  ///
  /// - Parameter elements: The elements.
  @inlinable public mutating func append<S: Sequence>(contentsOf elements: S) where S.Element == Element {
    own()
    owned.append(contentsOf: elements)
  }

  /// Reserves room for `n` elements.
  ///
  /// - Parameter n: The number of elements.
  @inlinable public mutating func reserveCapacity(_ n: Int) {
    own()
    owned.reserveCapacity(n)
  }

  /// The elements as a Swift array (a copy when they are viewed).
  public var array: [Element] { view.map { Array($0) } ?? owned }
}

extension FlatArray: RandomAccessCollection, MutableCollection {
  /// The first index, 0.
  @inlinable public var startIndex: Int { 0 }
  /// One past the last index.
  @inlinable public var endIndex: Int { view?.count ?? owned.count }
  /// The number of elements.
  @inlinable public var count: Int { view?.count ?? owned.count }

  /// The element at `i`.
  ///
  /// - Parameter i: An index in `0..<count`.
  @inlinable public subscript(i: Int) -> Element {
    get {
      if let view {
        precondition(i >= 0 && i < view.count, "FlatArray index out of range")
        return view[i]
      }
      return owned[i]
    }
    set {
      own()
      owned[i] = newValue
    }
  }

  /// The elements in `bounds`.
  ///
  /// - Parameter bounds: A range of indices.
  @inlinable public subscript(bounds: Range<Int>) -> Slice<FlatArray<Element>> {
    get { Slice(base: self, bounds: bounds) }
    set {
      for (i, v) in zip(bounds, newValue) { self[i] = v }
    }
  }
}

extension FlatArray: ExpressibleByArrayLiteral {
  /// An owned array of the literal's elements.
  ///
  /// - Parameter elements: The elements.
  @inlinable public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension FlatArray: Equatable where Element: Equatable {
  /// Whether two arrays hold the same elements, wherever they live.
  ///
  /// - Parameters:
  ///   - lhs: An array.
  ///   - rhs: Another.
  /// - Returns: True when the elements are equal.
  @inlinable public static func == (lhs: FlatArray, rhs: FlatArray) -> Bool {
    lhs.count == rhs.count && lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { a.elementsEqual($0) } }
  }
}
