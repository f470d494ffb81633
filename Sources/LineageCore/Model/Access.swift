/// Who may read a product.
public enum Access: String, Sendable, Hashable, CaseIterable {
  /// Anyone in the mesh (the default).
  case `public`
  /// Only products of the same domain.
  case domain
  /// Only the owning team's products.
  case `private`
}
