/// A governance rule's configured level in `mesh.yaml`.
public enum PolicyLevel: String, Sendable, Hashable, CaseIterable {
  case error, warning, off
}
