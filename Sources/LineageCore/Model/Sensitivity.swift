/// Data classification level of a product.
public enum Sensitivity: String, Sendable, Hashable, CaseIterable {
  case `public`, `internal`, confidential, restricted
}
