/// A value handed to work on other cores that the compiler cannot prove safe to share:
/// buffers that each worker reads, or writes its own elements of, while the caller
/// waits for them all (a `DispatchQueue.concurrentPerform`). Nothing else may touch
/// them meanwhile; the one who wraps a value answers for that.
public struct UnsafeSendable<T>: @unchecked Sendable {
  /// The value.
  public let value: T

  /// Wraps `value`.
  ///
  /// - Parameter value: What the workers share.
  public init(_ value: T) { self.value = value }
}
