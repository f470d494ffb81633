/// A governance rule's configured level in `mesh.yaml`.
public enum PolicyLevel: String, Sendable, Hashable, CaseIterable {
  /// `error` and `warning`: the rule is checked and its findings have that severity (a rule may
  /// still report its worst cases as errors, as `deprecated-input` does); `off`: it is not checked.
  case error, warning, off
}
