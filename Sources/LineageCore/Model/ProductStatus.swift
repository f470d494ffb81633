/// Lifecycle of a product.
public enum ProductStatus: String, Sendable, Hashable, CaseIterable {
  /// `draft`: not in use yet; `active`: in use (the default); `deprecated`: still there, but its
  /// readers should move away; `retired`: gone. `deprecated-input` warns about the readers of a
  /// deprecated product and reports those of a retired one as errors.
  case draft, active, deprecated, retired
}
