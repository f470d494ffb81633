/// A problem with the change request itself.
public struct ImpactError: LocatedError, Equatable {
  /// Which problem it is, so that a front end can phrase its own hint.
  public enum Reason: Sendable, Equatable {
    /// The target names no product (nor a column of one).
    case noSuchProduct
    /// The product has no such column.
    case noSuchColumn
    /// A column-level change was asked of a whole product.
    case columnRequired
    /// `retire` was asked of a column.
    case productRequired
  }

  /// Which problem it is.
  public var reason: Reason
  /// What is wrong with the request, in one sentence.
  public var message: String
  /// How to fix it, phrased without any front end's syntax (a front end may replace
  /// it with its own, naming its options).
  public var hint: String?
  /// Always nil: a change request has no place in an input file.
  public var location: SourceLocation? { nil }

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - reason: Which problem it is.
  ///   - message: The sentence that says it.
  ///   - hint: How to fix it.
  public init(_ reason: Reason, message: String, hint: String? = nil) {
    self.reason = reason
    self.message = message
    self.hint = hint
  }

  /// The message with the hint in parentheses.
  public var description: String { message + (hint.map { " (\($0))" } ?? "") }
}
