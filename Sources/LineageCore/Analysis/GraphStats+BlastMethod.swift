extension GraphStats.BlastMethod {
  /// The method for a graph when none is asked for: ``exact`` up to
  /// ``GraphStats/exactBlastLimit`` nodes, ``approximate`` beyond.
  ///
  /// - Parameter graph: The graph whose blast radii are counted.
  /// - Returns: The method.
  public static func automatic(for graph: LineageGraph) -> GraphStats.BlastMethod {
    graph.nodeCount <= GraphStats.exactBlastLimit ? .exact : .approximate
  }
}
