/// Service levels a product promises.
public struct ServiceLevel: Hashable, Sendable {
  /// Freshness as written (`1h`, `15m`, `1d`).
  public var freshness: String?
  /// Availability in percent.
  public var availability: Double?

  /// Creates service levels. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - freshness: Sets ``freshness``.
  ///   - availability: Sets ``availability``.
  public init(freshness: String? = nil, availability: Double? = nil) {
    self.freshness = freshness
    self.availability = availability
  }
}
