/// How much a consumer matters when it breaks.
public enum Criticality: String, Sendable, Hashable, CaseIterable {
  case low, medium, high
}
