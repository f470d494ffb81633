import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The explorer in a real browser, continued: the served page with API keys, impact
/// answered by the server, and compact focused views.
extension ExplorerBrowserTests {
  /// Waits until `script` returns true in the page.
  static func waitFor(_ b: WebDriver, _ script: String, _ what: String) async throws {
    for _ in 0..<100 {
      if try await b.run(script) as? Bool == true { return }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    throw WebDriver.Failure(description: "\(what) never happened")
  }

  /// Goes to `url` without waiting for the page to be ready.
  static func navigate(_ b: WebDriver, _ url: String) async throws {
    try await b.command("POST", "/url", ["url": url])
  }

  static let keyFormShown = "return !document.getElementById('key-box').hidden"

  /// With `--api-keys`, the page asks for a key when the API answers 401, keeps it in
  /// the tab's sessionStorage, and takes one from a link's fragment (then removes it
  /// from the address bar).
  @Test func theServedPageAsksForAnAPIKeyAndKeepsItInTheTab() async throws {
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let key = "key-" + UUID().uuidString
    try Data("\(key)\n".utf8).write(to: URL(fileURLWithPath: dir + "/keys"))
    let demo = CLI.root + "/samples/demo"
    let server = try ServerTests.Server(
      store: "sqlite:" + dir + "/events.db", arguments: ["--mesh", demo, "--api-keys", dir + "/keys"])
    let port = server.port
    // The data needs the key; the page and its assets, which hold none, do not.
    #expect(try await ServerTests.request(port, "GET", "/api/explorer/data").status == 401)
    #expect(
      try await ServerTests.request(port, "GET", "/api/explorer/data", headers: ["Authorization": "Bearer " + key])
        .status == 200)
    for path in ["/", "/explorer.js", "/explorer.css"] {
      #expect(try await ServerTests.request(port, "GET", path).status == 200, "\(path)")
    }
    let neighbours = try Self.ids(
      CLI.run(["upstream", "crm.customers", "--depth", "1", "--mesh", demo, "--format", "json"]).stdout
    ).union(
      Self.ids(CLI.run(["downstream", "crm.customers", "--depth", "1", "--mesh", demo, "--format", "json"]).stdout))
    let stored = "return sessionStorage.getItem('lineage-api-key')"
    try await Self.withBrowser { b in
      try await Self.navigate(b, "http://127.0.0.1:\(port)/#focus=crm.customers")
      try await Self.waitFor(b, Self.keyFormShown, "the key form")
      #expect(try await b.run("return window.lineageExplorer.ready") as? Bool == false)
      // A wrong key: the form stays, and says so.
      try await b.type("#api-key", "not-the-key")
      try await b.click("#key-go")
      try await Self.waitFor(
        b, "return document.getElementById('key-error').textContent.includes('did not accept')", "the refusal")
      #expect(try await b.run(Self.keyFormShown) as? Bool == true)
      #expect(try await b.run("return window.lineageExplorer.ready") as? Bool == false)
      // The right key (Enter): the graph.
      try await b.type("#api-key", key + Self.enter)
      try await b.waitReady()
      #expect(try await b.run(Self.keyFormShown) as? Bool == false)
      #expect(Set(try await Self.state(b)["shown"] as? [String] ?? []) == neighbours)
      #expect(try await b.run(stored) as? String == key)
      // A reload in the same tab needs no form.
      try await b.refresh()
      #expect(try await b.run(Self.keyFormShown) as? Bool == false)

      // A link with the key in its fragment: used, kept for the tab, and taken out of
      // the address bar.
      try await b.run("sessionStorage.clear()")
      try await Self.navigate(b, "about:blank")
      try await b.open("http://127.0.0.1:\(port)/#key=\(key)&focus=crm.customers")
      let url = try await b.url()
      #expect(!url.contains("key=") && url.hasSuffix("#focus=crm.customers"), "\(url)")
      #expect(Set(try await Self.state(b)["shown"] as? [String] ?? []) == neighbours)
      #expect(try await b.run(stored) as? String == key)
      #expect(try await b.run(Self.keyFormShown) as? Bool == false)
      // A wrong key in a link: the form, saying the key was refused.
      try await b.run("sessionStorage.clear()")
      try await Self.navigate(b, "about:blank")
      try await Self.navigate(b, "http://127.0.0.1:\(port)/#key=wrong&focus=crm.customers")
      try await Self.waitFor(
        b, "return document.getElementById('key-error').textContent.includes('did not accept')", "the refusal")
      #expect(!(try await b.url()).contains("key="))
      #expect(try await b.run(stored) is NSNull)
    }
    #expect(server.stop() == 0)
  }

  /// Served, impact mode asks the server: the nodes and the column level's rows are
  /// coloured by the server's verdicts, which are `lineage impact`'s; the path and the
  /// teams are listed.
  @Test func theServedPageColoursImpactAsLineageImpactSaysIt() async throws {
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let demo = CLI.root + "/samples/demo"
    let server = try ServerTests.Server(store: "sqlite:" + dir + "/events.db", arguments: ["--mesh", demo])
    let port = server.port
    let cli = try CLI.json(
      CLI.run(["impact", "crm.customers.email", "--change", "drop", "--mesh", demo, "--format", "json"]).stdout)
    let affected = cli["affected"] as? [[String: Any]] ?? []
    let verdict = { (v: String) in
      Set(affected.filter { $0["verdict"] as? String == v }.compactMap { $0["id"] as? String })
    }
    let breaks = verdict("breaks"), mayBreak = verdict("may-break")
    let teams = Set((cli["teams"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    #expect(!breaks.isEmpty && !mayBreak.isEmpty && !teams.isEmpty)
    // The server's answer keeps lineage impact's fields and adds each column's verdict.
    let served = try CLI.json(
      try await ServerTests.request(port, "GET", "/api/mesh/impact?target=crm.customers.email&change=drop").body)
    let servedAffected = served["affected"] as? [[String: Any]] ?? []
    #expect(servedAffected.map { $0["id"] as? String } == affected.map { $0["id"] as? String })
    #expect(servedAffected.map { $0["columns"] as? [String] } == affected.map { $0["columns"] as? [String] })
    #expect(cli["columnVerdicts"] == nil)
    let columnVerdicts = served["columnVerdicts"] as? [[String: Any]] ?? []
    let expectedRows = Set(
      columnVerdicts.map {
        ($0["verdict"] as? String == "breaks" ? "#ffcecb " : "#fff1a8 ") + "\($0["id"] ?? "").\($0["column"] ?? "")"
      })
    // Each affected column of lineage impact has a verdict, no worse than its node's.
    let reached = Set(affected.flatMap { a in (a["columns"] as? [String] ?? []).map { "\(a["id"] ?? "").\($0)" } })
    #expect(Set(columnVerdicts.map { "\($0["id"] ?? "").\($0["column"] ?? "")" }) == reached)
    for c in columnVerdicts where c["verdict"] as? String == "breaks" {
      #expect(breaks.contains(c["id"] as? String ?? ""), "\(c)")
    }

    try await Self.withBrowser { b in
      try await b.open("http://127.0.0.1:\(port)/#focus=crm.customers&sel=crm.customers")
      try await b.click("select[data-column=\"email\"] option[value=\"drop\"]")
      let coloured = { (cls: String) async throws -> Set<String> in
        Set(
          try await b.run(
            "return [...document.querySelectorAll('#diagram g.node.\(cls):not(.hidden)')].map(g=>g.getAttribute('aria-label'))"
          ) as? [String] ?? [])
      }
      try await Self.waitFor(
        b, "return document.querySelectorAll('#diagram g.node.imp-breaks').length > 0", "red nodes")
      #expect(try await coloured("imp-breaks") == breaks)
      #expect(try await coloured("imp-may") == mayBreak)
      let listed = try await b.run("return document.querySelectorAll('#impact-affected > li').length") as? Int
      #expect(listed == affected.count)
      let path = try await b.run("return document.querySelector('#impact-affected .path').textContent") as? String ?? ""
      #expect(path.hasPrefix("crm.customers \u{2192} "))
      let named = try await b.run(
        "return [...document.querySelectorAll('#impact-teams tbody tr td:first-child')].map(t=>t.textContent.split(' ')[0])"
      )
      #expect(Set(named as? [String] ?? []) == teams)
      // The column level: the changed column's row blue, each reached column's row in
      // its verdict's colour.
      try await b.click("#level")
      var rows: [String] = []
      for _ in 0..<100 {
        rows =
          try await b.run(
            "return [...document.querySelectorAll('#diagram g.node:not(.hidden) .imp-row')].map(r=>r.getAttribute('fill')+' '+r.dataset.column)"
          ) as? [String] ?? []
        if rows.count > 1 { break }
        try await Task.sleep(nanoseconds: 100_000_000)
      }
      #expect(Set(rows) == expectedRows.union(["#b6e3ff crm.customers.email"]), "\(rows)")
      let logs = try await b.severeLogs()
      #expect(logs == [], "\(logs)")
    }
    #expect(server.stop() == 0)
  }

  /// Ten chains of 40 nodes between one start and one end, so that Graphviz cannot move
  /// a chain left or right; and an edge from the second node of one chain to the
  /// next-to-last of another: one hop that spans the whole diagram.
  static func writeChains(_ path: String) throws {
    var nodes = [#"{"id":"hub.start","domain":"hub"}"#, #"{"id":"hub.end","domain":"hub"}"#]
    var edges: [String] = []
    for d in 0..<10 {
      for i in 0..<40 {
        nodes.append(#"{"id":"d\#(d).n\#(i)","domain":"d\#(d)","owner":"team\#(d)"}"#)
        if i > 0 { edges.append(#"["d\#(d).n\#(i - 1)","d\#(d).n\#(i)"]"#) }
      }
      edges.append(#"["hub.start","d\#(d).n0"]"#)
      edges.append(#"["d\#(d).n39","hub.end"]"#)
    }
    edges.append(#"["d0.n1","d5.n38"]"#)
    try Data(#"{"nodes":[\#(nodes.joined(separator: ","))],"edges":[\#(edges.joined(separator: ","))]}"#.utf8)
      .write(to: URL(fileURLWithPath: path))
  }

  /// A focused view of a large diagram is laid out compactly, and an expand keeps the
  /// clicked node where it was on screen and the other nodes in their order.
  @Test func aFocusedViewIsCompactAndAnExpandKeepsTheClickedNodeInPlace() async throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeChains(dir + "/g.json")
    let page = try Self.export(dir + "/g.json", into: dir)
    try await Self.withBrowser { b in
      // The node whose one-hop neighbourhood Graphviz spread widest over the whole
      // diagram (the long edge is where dot's ranking puts it).
      try await b.open("file://" + page)
      let spread =
        try await b.run(
          """
          const node = (n) => document.getElementById('g' + n);
          const near = new Map();
          for (const g of document.querySelectorAll('#diagram g.edge')) {
            const m = /^e(\\d+)_(\\d+)_\\d+$/.exec(g.id);
            if (!m) continue;
            for (const [a, c] of [[m[1], m[2]], [m[2], m[1]]]) { if (!near.has(a)) near.set(a, []); near.get(a).push(c); }
          }
          let best = null, width = 0;
          for (const [v, ns] of near) {
            const id = node(v).getAttribute('aria-label');
            if (id.startsWith('hub') || ns.length > 3) continue;
            const xs = [v].concat(ns).flatMap((n) => { const b = node(n).getBBox(); return [b.x, b.x + b.width]; });
            const w = Math.max(...xs) - Math.min(...xs);
            if (w > width) { best = id; width = w; }
          }
          return [best, width];
          """) as? [Any] ?? []
      let focus = try #require(spread.first as? String)
      let spreadWidth = spread.last as? Double ?? 0
      #expect(spreadWidth > 2_000, "\(focus)'s neighbourhood spans \(spreadWidth) units of the whole diagram")
      try await b.open("file://" + page + "#focus=" + focus)
      let shown = try await Self.state(b)["shown"] as? [String] ?? []
      #expect(shown.count >= 3 && shown.count <= 4, "\(shown)")
      // The whole diagram is wide; the view of its few nodes is not.
      let whole = try await b.run("return document.querySelector('#diagram g.graph').getBBox().width") as? Double ?? 0
      #expect(whole > 3_000, "the whole diagram is \(whole) wide")
      let box = try await b.run("return window.lineageExplorer.viewBox()") as? [String: Any] ?? [:]
      // (In the diagram's units, which Graphviz draws node boxes in.)
      let w = box["w"] as? Double ?? .infinity, h = box["h"] as? Double ?? .infinity
      #expect(w < 700 && h < 400, "the view box of \(shown) is \(w) by \(h)")
      // Select a chain node in view with a reader not in view.
      let anchor = try #require(
        shown.filter { $0 != focus && !$0.hasPrefix("hub") }.sorted().first, "a chain node beside \(focus)")
      try await b.click("#diagram g.node[aria-label=\"\(anchor)\"]")
      // Screen centres of the nodes in view.
      let centres = { () async throws -> [String: [Double]] in
        let raw =
          try await b.run(
            "const o={};for(const g of document.querySelectorAll('#diagram g.node:not(.hidden)')){const r=g.getBoundingClientRect();o[g.getAttribute('aria-label')]=[r.left+r.width/2,r.top+r.height/2];}return o"
          ) as? [String: [Double]] ?? [:]
        return raw
      }
      let before = try await centres()
      // Expand it (downstream, or upstream when nothing is hidden downstream): nodes
      // more; the clicked node stays put.
      let down = try await b.run("return !document.getElementById('act-down').disabled") as? Bool ?? false
      try await b.click(down ? "#act-down" : "#act-up")
      let after = try await centres()
      #expect(after.count > before.count && Set(before.keys).isSubset(of: Set(after.keys)), "\(after.keys)")
      let moved = zip(before[anchor] ?? [], after[anchor] ?? []).map { abs($0 - $1) }
      #expect(moved.count == 2 && moved.allSatisfy { $0 <= 2 }, "\(anchor) moved by \(moved)")
      // No two nodes that were in view changed sides: left and right, and up and down
      // within a layer they still share.
      for (a, pa) in before {
        for (c, pc) in before where a < c {
          let qa = after[a] ?? [0, 0], qc = after[c] ?? [0, 0]
          if abs(pa[0] - pc[0]) > 2 {
            #expect((pa[0] < pc[0]) == (qa[0] < qc[0]), "\(a) and \(c) changed sides")
          } else if abs(qa[0] - qc[0]) <= 2 {
            #expect((pa[1] < pc[1]) == (qa[1] < qc[1]), "\(a) and \(c) changed places in their layer")
          }
        }
      }
      // Back to the whole mesh: every node where Graphviz put it.
      try await b.click("#all")
      #expect(
        try await b.run("return document.querySelectorAll('#diagram g.node[transform]').length") as? Int == 0)
      #expect(try await b.severeLogs() == [])
    }
  }
}
