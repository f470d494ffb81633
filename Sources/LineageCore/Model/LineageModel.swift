/// Everything a command works on: the declared mesh (when there is one), its
/// product graph and column graph, and the findings of loading it.
public struct LineageModel: Sendable {
  /// The declared mesh; empty for inputs that carry only a graph.
  public var mesh: Mesh
  public var graph: LineageGraph
  public var columns: ColumnGraph
  /// Problems found while loading and resolving, in report order.
  public var findings: [Finding]
  /// A short description of what was loaded ("mesh directory samples/demo").
  public var source: String
  /// The findings of reading the input alone, before references were resolved.
  public var loadFindings: [Finding]
  /// `mesh.nodes` index of each graph node's declaration.
  var declarationIndex: [Int32: Int] = [:]

  /// Builds the graphs of a loaded mesh and adds the reference findings.
  public init(mesh: Mesh, loadFindings: [Finding], source: String) {
    self.mesh = mesh
    self.graph = LineageGraph(mesh: mesh)
    self.columns = ColumnGraph(mesh: mesh, graph: graph)
    self.findings = (loadFindings + Resolver.findings(for: mesh)).sorted(by: Finding.reportOrder)
    self.loadFindings = loadFindings
    self.source = source
    for (i, n) in mesh.nodes.enumerated() {
      if let v = graph.index(of: n.id), declarationIndex[v] == nil { declarationIndex[v] = i }
    }
  }

  /// Wraps a bare graph (graph JSON) that has no declared mesh.
  public init(graph: LineageGraph, findings: [Finding], source: String, name: String) {
    self.mesh = Mesh(name: name)
    self.graph = graph
    self.columns = ColumnGraph(mesh: mesh, graph: graph)
    self.findings = findings.sorted(by: Finding.reportOrder)
    self.loadFindings = findings
    self.source = source
  }

  /// True when loading found errors: the results of analyses may be incomplete.
  public var hasLoadErrors: Bool { findings.contains { $0.severity == .error } }

  /// The node's declaration in the mesh, if it has one.
  public func declaration(of v: Int32) -> MeshNode? { declarationIndex[v].map { mesh.nodes[$0] } }
}
