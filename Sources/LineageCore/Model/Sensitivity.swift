/// Data classification level of a product.
public enum Sensitivity: String, Sendable, Hashable, CaseIterable {
  /// From least to most sensitive: `public` and `internal` nodes may not hold unmasked personal
  /// data (`pii-propagation`); `confidential` and `restricted` nodes may.
  case `public`, `internal`, confidential, restricted
}
