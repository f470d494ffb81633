/// What `validate` reports: the one definition of the findings a whole-mesh check
/// lists, shared by every front end that validates (the `validate` command, the
/// summary `import` prints for the mesh it wrote).
public enum Validation {
  /// Every finding of a whole-mesh check: the model's own (loading and references),
  /// the ownership claims (entities and physical locations claimed twice) and the
  /// governance policies.
  ///
  /// - Parameters:
  ///   - model: The loaded model.
  ///   - today: Today's date, for freshness promises and expiries.
  /// - Returns: The findings, the model's first, then ownership claims, then policies.
  public static func findings(_ model: LineageModel, today: CalendarDate) -> [Finding] {
    model.findings + Ownership.entityClaims(model.mesh) + Ownership.locationClaims(model.mesh)
      + Governance.findings(model, context: .init(today: today))
  }
}
