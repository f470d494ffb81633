/// Deprecation details of a product.
public struct Deprecation: Hashable, Sendable {
  /// The date after which the product goes away.
  public var sunset: CalendarDate?
  /// The id of the product that replaces it.
  public var replacedBy: String?
  /// Where the `deprecation` mapping is written, nil when not known.
  public var location: SourceLocation?

  /// Creates deprecation details. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - sunset: Sets ``sunset``.
  ///   - replacedBy: Sets ``replacedBy``.
  ///   - location: Sets ``location``.
  public init(sunset: CalendarDate? = nil, replacedBy: String? = nil, location: SourceLocation? = nil) {
    self.sunset = sunset
    self.replacedBy = replacedBy
    self.location = location
  }
}
