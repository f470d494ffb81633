public import LineageCore
public import LineageRender
internal import LineageReports

/// The web explorer: one page (HTML, CSS and JavaScript kept as files in the
/// repository, embedded at build time) over the model's data and the diagrams Graphviz
/// lays out, either as one self-contained document (every asset and the data inline,
/// opens from `file://`, no network) or as the page a server serves (assets and data
/// fetched from it).
///
/// Size policy of an export: the whole mesh is laid out once at the product level, and
/// at the column level when ``Views/columnTableLimit`` allows; the page's focused views
/// are subsets of that layout, so nothing moves when a view grows. Beyond
/// ``Views/sfdpLimit`` nodes the domain level is the overview, and the focus of
/// ``ExplorerOptions/focus`` (if any) gets a diagram of its own; search, panels and
/// findings still cover every node. Blast radii are precomputed for meshes of at most
/// ``impactNodeLimit`` nodes and ``impactColumnLimit`` columns.
public enum ExplorerPage {
  /// Nodes above which an export precomputes no blast radius.
  public static let impactNodeLimit = 500
  /// Columns above which an export precomputes no blast radius.
  public static let impactColumnLimit = 3_000
  /// Data larger than this (bytes of JSON) is embedded gzip-compressed, as base64.
  public static let gzipThreshold = 200_000

  /// The page's script, as kept in `Resources/explorer.js`.
  public static var script: [UInt8] { PackageResources.explorer_js }
  /// The page's stylesheet, as kept in `Resources/explorer.css`.
  public static var stylesheet: [UInt8] { PackageResources.explorer_css }

  /// The Content-Security-Policy of the served page, as a header: scripts, styles and
  /// data from the server only; images also from `data:` and `blob:` URLs (the PNG
  /// export); no framing.
  public static let servedPolicy = pagePolicy + "; frame-ancestors 'none'"

  /// The served policy as the page's `<meta>` carries it (without `frame-ancestors`,
  /// which only a header can set).
  static let pagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'"

  /// The self-contained page: every script, style and datum inline, a
  /// Content-Security-Policy that allows no network and only these inline script and
  /// style elements (by SHA-256).
  ///
  /// - Parameters:
  ///   - model: The lineage to explore.
  ///   - options: The focus to draw for a large mesh, the date of the findings, the wording.
  /// - Returns: The HTML document, and the notes of what it left out.
  /// - Throws: ``RenderError`` when Graphviz fails.
  /// - Complexity: The Graphviz layouts, plus O(V + E) for the data; blast radii only
  ///   within ``impactNodeLimit``.
  public static func document(_ model: LineageModel, _ options: ExplorerOptions) throws(RenderError) -> (
    bytes: [UInt8], notes: [String]
  ) {
    let built = try data(model, options)
    var json = built.json
    if json.count > gzipThreshold, let packed = Gzip.compress(json) {
      json = Array("{\"gz\":\"".utf8) + Base64.encode(packed) + Array("\"}".utf8)
    }
    let js = script, css = stylesheet
    let policy =
      "default-src 'none'; script-src 'sha256-\(Base64.string(SHA256Digest.of(js)))'; style-src 'sha256-\(Base64.string(SHA256Digest.of(css)))'; img-src data: blob:; base-uri 'none'; form-action 'none'"
    let head = Array("<style>".utf8) + css + Array("</style>".utf8)
    let body =
      Array("<script type=\"application/json\" id=\"lineage-data\">".utf8) + ScriptSafe.escape(json)
      + Array("</script>\n<script>".utf8) + js + Array("</script>".utf8)
    return (fill(policy: policy, title: model.mesh.name, head: head, body: body), built.notes)
  }

  /// The page a server serves at `/`: the stylesheet at `explorer.css`, the script at
  /// `explorer.js`, and the data fetched from `api/explorer/data` (see ``data(_:_:)``).
  ///
  /// - Parameter title: The page's title (the mesh's name), escaped here.
  /// - Returns: The HTML document.
  public static func served(title: String) -> [UInt8] {
    // The same policy in the page, less frame-ancestors, which only a header can carry.
    fill(
      policy: pagePolicy, title: title,
      head: Array("<link rel=\"stylesheet\" href=\"explorer.css\">".utf8),
      body: Array("<script src=\"explorer.js\"></script>".utf8))
  }

  /// The data the page reads, as JSON (see the page's script for its use): the nodes,
  /// edges, columns, findings, the diagrams laid out by Graphviz and the blast radii.
  ///
  /// - Parameters:
  ///   - model: The lineage to explore.
  ///   - options: The focus to draw for a large mesh, the date of the findings, the wording.
  /// - Returns: The JSON, and the notes of what it left out.
  /// - Throws: ``RenderError`` when Graphviz fails.
  public static func data(_ model: LineageModel, _ options: ExplorerOptions) throws(RenderError) -> (
    json: [UInt8], notes: [String]
  ) {
    var views: [ExplorerData.View] = []
    var notes = options.notes
    let wording = options.wording.view
    let whole = Views.plan(model, ViewRequest(level: .product, wording: wording, elementIDs: true))
    if whole.level == .product {
      views.append(try draw(whole, name: "product"))
      let columns = Views.plan(model, ViewRequest(level: .column, wording: wording, elementIDs: true))
      if columns.level == .column {
        do {
          views.append(try draw(columns, name: "column"))
        } catch {
          notes.append("the column level could not be laid out (\(error.message)); \(options.wording.seeMore)")
        }
      } else {
        notes.append(
          "the column level is drawn for meshes of at most \(Views.columnTableLimit) tables; \(options.wording.seeMore)"
        )
      }
    } else {
      views.append(try draw(whole, name: "overview"))
      notes.append(
        "\(model.graph.nodeCount) nodes are too many to lay out whole: the overview is the domain level; search, panels and findings cover every node; \(options.wording.seeMore)"
      )
    }
    if let focus = options.focus {
      let request = ViewRequest(
        level: .product, focus: focus, upstream: options.upstream, downstream: options.downstream,
        wording: wording, elementIDs: true)
      let product = Views.plan(model, request)
      if product.level == .product { views.append(try draw(product, name: "focus")) }
      var columnRequest = request
      columnRequest.level = .column
      let columns = Views.plan(model, columnRequest)
      if columns.level == .column, whole.level != .product { views.append(try draw(columns, name: "focusColumn")) }
    }
    let g = model.graph, cg = model.columns
    var impact: [String: [(String, ImpactOutcome)]] = [:]
    var impactNote: String?
    if !options.blastRadii {
      // The page asks its server for each blast radius.
    } else if g.nodeCount <= impactNodeLimit && cg.count <= impactColumnLimit {
      for v in 0..<Int32(g.nodeCount) {
        impact["\(v)"] = [("retire", outcome(model, v, nil, .retire))]
      }
      var ordinal: [Int32: Int] = [:]
      for c in 0..<Int32(cg.count) {
        let v = cg.node[Int(c)]
        let k = ordinal[v, default: 0]
        ordinal[v] = k + 1
        impact["\(v).\(c)"] = [SchemaChange.drop, .rename(nil), .nullable].map {
          ($0.description, outcome(model, v, cg.name(c), $0))
        }
      }
    } else {
      impactNote =
        "blast radii are precomputed for meshes of at most \(impactNodeLimit) nodes and \(impactColumnLimit) columns; this one has \(g.nodeCount) nodes and \(cg.count) columns: \(options.wording.seeMore)"
      notes.append(impactNote ?? "")
    }
    let findings = Validation.findings(model, today: options.today)
    let json = ExplorerData.json(
      model, views: views, findings: findings, impact: impact, impactNote: impactNote, notes: notes,
      start: options.focus ?? [])
    return (json, notes)
  }

  /// One diagram of exactly `nodes` (focus roots with no hop either way), laid out by
  /// Graphviz as the page's data carries its diagrams (`{svg, level, notes, cl}`): what
  /// the served page asks for when a view grows past the diagrams it has.
  ///
  /// - Parameters:
  ///   - model: The lineage.
  ///   - nodes: The graph nodes to draw.
  ///   - level: `product` or `column` (the size policy may draw a coarser level).
  ///   - wording: The words of the diagram's notes.
  /// - Returns: The JSON of the diagram.
  /// - Throws: ``RenderError`` when Graphviz fails.
  public static func view(
    _ model: LineageModel, nodes: [Int32], level: ViewLevel, wording: ViewRequest.Wording = ViewRequest.Wording()
  ) throws(RenderError) -> [UInt8] {
    let plan = Views.plan(
      model,
      ViewRequest(level: level, focus: nodes, upstream: 0, downstream: 0, wording: wording, elementIDs: true))
    let drawn = try draw(plan, name: "view")
    var data = ExplorerData()
    var w = JSONWriter(pretty: false, capacity: drawn.svg.count + 1024)
    data.write(drawn, into: &w)
    return w.bytes
  }

  static func outcome(_ model: LineageModel, _ v: Int32, _ column: String?, _ change: SchemaChange)
    -> ImpactOutcome
  {
    do {
      let r = try ImpactAnalysis.analyze(model, product: v, column: column, change: change)
      return .result(r, ImpactReport(r, model: model))
    } catch {
      return .failed(error.description)
    }
  }

  /// Lays `plan` out as SVG. A column level is laid out with `newrank=true`: without it,
  /// Graphviz 2.42's spline router fails on the whole of samples/demo ("in routesplines,
  /// illegal values of prev 1 and next 1"), and straight edges (`splines=line`) there
  /// make `gvFreeLayout` free memory twice.
  static func draw(_ plan: PlannedView, name: String) throws(RenderError) -> ExplorerData.View {
    var plan = plan
    if plan.level == .column && plan.engine == "dot" { plan.layout["newrank"] = "true" }
    if plan.level == .column {
      // Without domain boxes, dot ranks the tables by their lineage alone, so a table's
      // neighbours sit next to it, and a focused subset stays together.
      for i in plan.diagram.nodes.indices { plan.diagram.nodes[i].cluster = nil }
      plan.diagram.clusters = []
    }
    let svg = try Graphviz.render(
      dot: DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout), engine: plan.engine,
      format: "svg")
    var clusters = [[Int32]](repeating: [], count: plan.diagram.clusters.count)
    for n in plan.diagram.nodes {
      guard let c = n.cluster, let id = n.attributes["id"], id.hasPrefix("g"), let v = Int32(id.dropFirst()) else {
        continue
      }
      clusters[c].append(v)
    }
    return ExplorerData.View(
      name: name, svg: svg, level: plan.level.rawValue, notes: plan.diagram.notes, clusters: clusters)
  }

  /// The template with its four holes filled: the policy, the title (escaped), the head's
  /// style and the body's scripts.
  static func fill(policy: String, title: String, head: [UInt8], body: [UInt8]) -> [UInt8] {
    let template = PackageResources.explorer_html
    var out: [UInt8] = []
    out.reserveCapacity(template.count + head.count + body.count + 512)
    let holes: [(String, [UInt8])] = [
      ("{{csp}}", Array(HTML.escape(policy).utf8)), ("{{title}}", Array(HTML.escape(title).utf8)),
      ("{{head}}", head), ("{{body}}", body),
    ]
    var i = 0
    outer: while i < template.count {
      if template[i] == UInt8(ascii: "{") {
        for (hole, value) in holes where template[i...].starts(with: hole.utf8) {
          out += value
          i += hole.utf8.count
          continue outer
        }
      }
      out.append(template[i])
      i += 1
    }
    return out
  }
}
