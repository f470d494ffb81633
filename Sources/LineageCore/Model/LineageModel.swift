internal import Dispatch

/// Everything a command works on: the declared mesh (when there is one), its
/// product graph and column graph, and the findings of loading it.
public struct LineageModel: Sendable {
  /// The declared mesh; empty for inputs that carry only a graph. Read-only: the
  /// graphs and findings are built from it (a model of another mesh is a new model).
  public private(set) var mesh: Mesh
  /// The product graph of ``mesh`` (or the bare graph of graph JSON).
  public private(set) var graph: LineageGraph
  /// The column graph of ``mesh`` over ``graph``.
  public private(set) var columns: ColumnGraph
  /// Problems found while loading and resolving, in report order.
  public var findings: [Finding]
  /// A short description of what was loaded ("mesh directory samples/demo").
  public var source: String
  /// The findings of reading the input alone, before references were resolved.
  public var loadFindings: [Finding]
  /// `mesh.nodes` index of each graph node's declaration (-1: none), by node; empty
  /// when no node has one.
  var declarationIndex: [Int] = []
  /// What bringing this model up to date needs of it (see
  /// ``init(updating:mesh:change:loadFindings:source:)``); nil when its mesh repeats
  /// an id, or it has no mesh.
  public internal(set) var base: Base?
  /// True when this model was brought up to date from a previous one, false when it
  /// was built whole.
  public internal(set) var isUpdate = false
  /// True when an update brought the column graph up to date too (not built whole).
  var columnsUpdated = false

  /// Builds the graphs of a loaded mesh and adds the reference findings.
  ///
  /// - Parameters:
  ///   - mesh: The declared mesh.
  ///   - loadFindings: The findings of reading it.
  ///   - source: What was loaded, for reports.
  public init(mesh: Mesh, loadFindings: [Finding], source: String) {
    self.mesh = mesh
    var at = MeshPlaces()
    let g = LineageGraph(mesh: mesh, places: &at)
    self.graph = g
    let nodes = mesh.nodes
    var first: [Int] = []
    if !nodes.isEmpty {
      first = [Int](repeating: -1, count: g.nodeCount)
      for i in nodes.indices where first[Int(at.node[i])] < 0 { first[Int(at.node[i])] = i }
    }
    declarationIndex = first
    // The graph has a node for every id of the mesh (and no other): the first
    // declaration of an id is its node's.
    let (declarations, places, ids) = (first, at, g.ids)
    func references() -> Resolver.Checked {
      Resolver.check(mesh, places: places, declarations: declarations) { id in
        ids.lookup(id).map { declarations[Int($0)] }
      }
    }
    // The column graph and the reference checks read the mesh and the graph only: on
    // two cores for a large mesh (each is about a quarter of a model's build).
    var columns: ColumnGraph?
    var found = Resolver.Checked(findings: [], domainCount: 0, ends: [])
    if nodes.count >= Self.parallelBuild {
      withUnsafeMutablePointer(to: &columns) { c in
        withUnsafeMutablePointer(to: &found) { f in
          let out = UnsafeSendable(
            (columns: c, found: f, mesh: mesh, graph: g, places: places, references: references))
          DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
              out.value.columns.pointee = ColumnGraph(
                mesh: out.value.mesh, graph: out.value.graph, places: out.value.places)
            } else {
              out.value.found.pointee = out.value.references()
            }
          }
        }
      }
    } else {
      columns = ColumnGraph(mesh: mesh, graph: g, places: places)
      found = references()
    }
    self.columns = columns ?? ColumnGraph(mesh: mesh, graph: g)
    self.findings = (loadFindings + found.findings).sorted(by: Finding.reportOrder)
    self.loadFindings = loadFindings
    self.source = source
    if g.nodeCount == nodes.count {
      base = Base(
        graph: g, columns: self.columns, places: at, references: found, domains: mesh.domains, teams: mesh.teams)
    }
  }

  /// A model from its parts (an update, ``init(updating:mesh:change:loadFindings:source:)``).
  init(
    mesh: Mesh, graph: LineageGraph, columns: ColumnGraph, findings: [Finding], loadFindings: [Finding],
    source: String, declarationIndex: [Int]
  ) {
    self.mesh = mesh
    self.graph = graph
    self.columns = columns
    self.findings = findings
    self.loadFindings = loadFindings
    self.source = source
    self.declarationIndex = declarationIndex
  }

  /// From this many declared nodes on, a model's column graph and reference checks are
  /// built on two cores.
  static let parallelBuild = 5_000

  /// Wraps a bare graph (graph JSON) that has no declared mesh.
  ///
  /// - Parameters:
  ///   - graph: The graph.
  ///   - findings: The findings of reading it.
  ///   - source: What was loaded, for reports.
  ///   - name: The name of the empty mesh.
  public init(graph: LineageGraph, findings: [Finding], source: String, name: String) {
    self.mesh = Mesh(name: name)
    self.graph = graph
    self.columns = ColumnGraph(mesh: mesh, graph: graph)
    self.findings = findings.sorted(by: Finding.reportOrder)
    self.loadFindings = findings
    self.source = source
  }

  /// The files the input was read from, in the order given (a mesh directory's
  /// `mesh.yaml`, a manifest, event files); where a finding without a place of its own
  /// is reported (SARIF needs a location for every result).
  public var inputFiles: [String] = []

  /// The shape of each model's SQL (``SQLShape``), by node id, for the models whose SQL
  /// the loader read (dbt models, SQL files); ``MeshDiff`` compares them.
  public var sqlShapes: [String: SQLShape] = [:]

  /// What kind of input the model was read from, set by the loader that read it.
  public var input: InputKind = .unknown

  /// The kinds of input a model is read from.
  public enum InputKind: String, Sendable, Hashable {
    /// A mesh directory: `mesh.yaml` and the spec files below it.
    case meshDirectory = "mesh directory"
    /// A dbt manifest (`manifest.json`, with `catalog.json` when it is beside it).
    case dbtManifest = "dbt manifest"
    /// OpenLineage event files (a file, or every event file under a directory).
    case openLineage = "OpenLineage events"
    /// Bitol data contracts and data products (ODCS, ODPS).
    case contracts = "contracts"
    /// A graph JSON file: plain nodes and edges.
    case graphJSON = "graph JSON"
    /// `.sql` files, their lineage read from the SQL.
    case sqlFiles = "SQL files"
    /// Several inputs merged into one model.
    case merged = "merged inputs"
    /// Not set by a loader (a model built in code).
    case unknown
  }

  /// True when loading or resolving found errors (load errors and findings alike).
  public var hasLoadErrors: Bool { findings.contains { $0.severity == .error } }

  /// The errors that mean part of the input was not read (``Finding/isLoadError``):
  /// a syntax error, a wrong-shaped document or field, an unreadable file.
  public var loadErrors: [Finding] { findings.loadErrors }

  /// True when the whole input was read: no load errors. An answer from a model that
  /// is not complete looks right and may not be; commands stop on it or mark their
  /// output partial.
  public var isComplete: Bool { !findings.contains(where: \.isLoadError) }

  /// The node's declaration in the mesh, if it has one.
  ///
  /// - Parameter v: A node.
  /// - Returns: Its first declaration, or nil for a node seen only as an edge end.
  public func declaration(of v: Int32) -> MeshNode? {
    let i = Int(v) < declarationIndex.count ? declarationIndex[Int(v)] : -1
    return i >= 0 ? mesh.nodes[i] : nil
  }

  /// True when some graph node has a declaration (``declaration(of:)``); false for a
  /// bare graph, whose reports then need not look declarations up node by node.
  public var hasDeclarations: Bool { !declarationIndex.isEmpty }

  /// Computes the graph's id ranks (``LineageGraph/rankIDs()``), so that its reports
  /// sort by comparing integers.
  public mutating func rankIDs() { graph.rankIDs() }
}
