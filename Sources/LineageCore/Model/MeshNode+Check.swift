extension MeshNode {
  /// The imported kinds that are checks rather than data: dbt's data tests and unit
  /// tests. Nothing reads a check, so removing or changing one breaks nothing.
  public static let checkKinds: Set<String> = ["test", "unit_test"]

  /// True for a check (a dbt data test or unit test), by its kind or its imported
  /// resource type.
  public var isCheck: Bool {
    Self.checkKinds.contains(kind.rawValue) || resource.map { Self.checkKinds.contains($0.type) } ?? false
  }
}
