/// Lifecycle of a product.
public enum ProductStatus: String, Sendable, Hashable, CaseIterable {
  case draft, active, deprecated, retired
}
