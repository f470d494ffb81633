internal import LineageCore
internal import LineageReports

/// The data the explorer page reads: the graph as compact arrays (strings once, in a
/// table, and referred to by index), the columns and their lineage, the findings, the
/// diagrams laid out by Graphviz, and the precomputed blast radii.
///
/// The JSON (version 1) has these keys; every string-valued field holds an index into
/// `s`, and -1 stands for none:
/// - `s`: the string table;
/// - `n`: per node, parallel arrays `id`, `nm` (name), `k` (kind), `d` (domain), `o`
///   (owner), `st` (status), `ds` (description), `ac` (access), `se` (sensitivity), `tg`
///   (tags), `pv` (provenance), `cols` (its columns' indices in `c`);
/// - `e`: the product edges, flat `[from, to, from, to, ...]`; `cyc`: those in a cycle;
/// - `c`: per column, parallel arrays `n` (its node), `nm`, `t` (type), `cl`
///   (classification), `m` (1 when masked), `nl` (1 when nullable), `pk` (1 for a key);
///   `ce`: column edges, flat `[from, to, transform, ...]`;
/// - `f`: findings `[severity, rule, message, [nodes]]`;
/// - `teams`: `[id, contact]`; `doms`: `[domain, owner]`;
/// - `views`: the diagrams by name (`product`, `column`, `overview`, `focus`), each
///   `{svg, level, notes, cl}` where `cl` lists each Graphviz cluster's member nodes;
/// - `imp`: blast radii by target (`"N"` for node N retired, `"N.C"` for column C of
///   node N) and change, each `{a: [[node, verdict, reason, path...]], t: [[team,
///   contact, breaks, mayBreak, changing]], cv: [column, verdict, ...]}` or `{err}`;
///   `impNote` says why there are none;
/// - `notes`: what the export left out and how to see more; `start`: the nodes the page
///   opens on when its URL names no view (the export's focus).
struct ExplorerData {
  var strings: [String] = []
  var index: [String: Int] = [:]

  mutating func s(_ text: String?) -> Int {
    guard let text else { return -1 }
    if let i = index[text] { return i }
    index[text] = strings.count
    strings.append(text)
    return strings.count - 1
  }

  /// A diagram laid out for the page.
  struct View {
    var name: String
    var svg: [UInt8]
    var level: String
    var notes: [String]
    var clusters: [[Int32]]
  }

  /// Builds the JSON for `model`.
  static func json(
    _ model: LineageModel, views: [View], findings: [Finding], impact: [String: [(String, ImpactOutcome)]],
    impactNote: String?, notes: [String], start: [Int32]
  ) -> [UInt8] {
    var data = ExplorerData()
    let g = model.graph, cg = model.columns
    let n = g.nodeCount
    var w = JSONWriter(pretty: false, capacity: 64 * n + 4096)
    w.beginObject()
    w.field("v", 1)
    w.field("name", model.mesh.name)
    // Nodes.
    var ids = [Int](), names = [Int](), kinds = [Int](), domains = [Int](), owners = [Int]()
    var statuses = [Int](), descriptions = [Int](), access = [Int](), sensitivity = [Int]()
    var tags = [[Int]](), provenance = [[Int]](), columns = [[Int]](repeating: [], count: n)
    ids.reserveCapacity(n)
    for v in 0..<Int32(n) {
      let decl = model.declaration(of: v)
      ids.append(data.s(g.id(v)))
      names.append(data.s(decl?.name))
      kinds.append(data.s(g.kindName(v)))
      domains.append(data.s(g.domainName(v)))
      owners.append(data.s(g.ownerName(v)))
      statuses.append(data.s(g.status[Int(v)].rawValue))
      descriptions.append(data.s(decl?.description))
      access.append(decl.map { data.s($0.access.rawValue) } ?? -1)
      sensitivity.append(data.s(decl?.sensitivity?.rawValue))
      tags.append(g.tagList(v).map { data.s($0) })
      provenance.append((decl?.provenance ?? []).map { data.s($0.description) })
    }
    for c in 0..<cg.count { columns[Int(cg.node[c])].append(c) }
    w.key("n")
    w.beginObject()
    for (key, list) in [
      ("id", ids), ("nm", names), ("k", kinds), ("d", domains), ("o", owners), ("st", statuses),
      ("ds", descriptions), ("ac", access), ("se", sensitivity),
    ] {
      w.key(key)
      ints(&w, list)
    }
    for (key, list) in [("tg", tags), ("pv", provenance), ("cols", columns)] {
      w.key(key)
      w.beginArray()
      for row in list { ints(&w, row) }
      w.endArray()
    }
    w.endObject()
    // Product edges, and those inside a cycle.
    var edges: [Int] = []
    edges.reserveCapacity(2 * g.edgeCount)
    for v in 0..<Int32(n) {
      for t in g.forward.neighbors(v) {
        edges.append(Int(v))
        edges.append(Int(t))
      }
    }
    w.key("e")
    ints(&w, edges)
    let scc = StronglyConnectedComponents(g.forward)
    var cyclic: [Int] = []
    for comp in 0..<Int32(scc.count) where scc.isCyclic(comp) {
      for v in scc.members.neighbors(comp) {
        for t in g.forward.neighbors(v) where scc.component[Int(t)] == comp {
          cyclic.append(Int(v))
          cyclic.append(Int(t))
        }
      }
    }
    w.key("cyc")
    ints(&w, cyclic)
    // Columns.
    var cn = [Int](), cnm = [Int](), ct = [Int](), ccl = [Int](), cm = [Int](), cnl = [Int](), cpk = [Int]()
    for c in 0..<Int32(cg.count) {
      let v = cg.node[Int(c)]
      let col = model.declaration(of: v)?.column(named: cg.name(c))
      cn.append(Int(v))
      cnm.append(data.s(cg.name(c)))
      ct.append(data.s(col?.type))
      ccl.append(data.s(col?.classification))
      cm.append(col?.masked == true ? 1 : 0)
      cnl.append(col?.nullable == true ? 1 : 0)
      cpk.append(col?.primaryKey == true ? 1 : 0)
    }
    w.key("c")
    w.beginObject()
    for (key, list) in [("n", cn), ("nm", cnm), ("t", ct), ("cl", ccl), ("m", cm), ("nl", cnl), ("pk", cpk)] {
      w.key(key)
      ints(&w, list)
    }
    w.endObject()
    var columnEdges: [Int] = []
    for c in 0..<Int32(cg.count) {
      var k = Int(cg.forward.offsets[Int(c)])
      for t in cg.forward.neighbors(c) {
        columnEdges.append(Int(c))
        columnEdges.append(Int(t))
        columnEdges.append(data.s(cg.transform[k].rawValue))
        k += 1
      }
    }
    w.key("ce")
    ints(&w, columnEdges)
    // Findings, with the nodes they name.
    w.key("f")
    w.beginArray()
    for f in findings {
      var subjects: [Int] = []
      for s in f.subjects {
        if let v = g.index(of: s) {
          subjects.append(Int(v))
        } else if let dot = s.lastIndex(of: "."), let v = g.index(of: String(s[..<dot])) {
          subjects.append(Int(v))
        }
      }
      w.beginArray()
      w.int(data.s(f.severity.rawValue))
      w.int(data.s(f.rule.rawValue))
      w.int(data.s(f.message))
      ints(&w, subjects)
      w.endArray()
    }
    w.endArray()
    // Teams and domains.
    w.key("teams")
    w.beginArray()
    for t in model.mesh.teams { ints(&w, [data.s(t.id), data.s(t.contact)]) }
    w.endArray()
    w.key("doms")
    w.beginArray()
    for d in model.mesh.domains { ints(&w, [data.s(d.id), data.s(d.owner)]) }
    w.endArray()
    // Diagrams.
    w.key("views")
    w.beginObject()
    for view in views {
      w.key(view.name)
      data.write(view, into: &w)
    }
    w.endObject()
    // Blast radii.
    w.key("imp")
    w.beginObject()
    for (target, outcomes) in impact.sorted(by: { $0.key < $1.key }) {
      w.key(target)
      w.beginObject()
      for (change, outcome) in outcomes {
        w.key(change)
        w.beginObject()
        switch outcome {
        case .failed(let message): w.field("err", message)
        case .result(let r, let report):
          w.key("a")
          w.beginArray()
          for i in 0..<r.count {
            ints(
              &w,
              [Int(r.nodes[i]), r.verdicts[i] == .breaks ? 0 : 1, data.s(r.reason(at: i))] + r.path(at: i).map(Int.init)
            )
          }
          w.endArray()
          w.key("t")
          w.beginArray()
          for t in report.teams {
            ints(&w, [data.s(t.id), data.s(t.contact), t.breaks, t.mayBreak, t.changing ? 1 : 0])
          }
          w.endArray()
          var verdicts: [Int] = []
          for (c, v) in r.columnVerdicts.sorted(by: { $0.key < $1.key }) {
            verdicts.append(Int(c))
            verdicts.append(v == .breaks ? 0 : 1)
          }
          w.key("cv")
          ints(&w, verdicts)
        }
        w.endObject()
      }
      w.endObject()
    }
    w.endObject()
    w.field("impNote", impactNote)
    w.field("notes", notes)
    w.key("start")
    ints(&w, start.map(Int.init))
    // The string table last: every other part has added to it.
    w.field("s", data.strings)
    w.endObject()
    return w.bytes
  }

  /// A diagram as `{svg, level, notes, cl}`.
  mutating func write(_ view: View, into w: inout JSONWriter) {
    w.beginObject()
    w.field("svg", String(decoding: view.svg, as: UTF8.self))
    w.field("level", view.level)
    w.field("notes", view.notes)
    w.key("cl")
    w.beginArray()
    for members in view.clusters { Self.ints(&w, members.map(Int.init)) }
    w.endArray()
    w.endObject()
  }

  static func ints(_ w: inout JSONWriter, _ list: [Int]) {
    w.beginArray()
    for x in list { w.int(x) }
    w.endArray()
  }
}

/// One precomputed blast radius: the result and its report, or why the change does not
/// apply.
enum ImpactOutcome {
  case result(ImpactResult, ImpactReport)
  case failed(String)
}
