import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The explorer page (`lineage render --format html`) in a real browser: headless
/// Chromium through chromedriver, from `file://`. Without Chromium these tests fail and
/// say how to install it (`make browser`).
@Suite(.serialized) struct ExplorerBrowserTests {
  static func scratch() throws -> String {
    let dir = NSTemporaryDirectory() + "lineage-explorer-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Exports `mesh` as a page into `dir`; its path.
  static func export(_ mesh: String, into dir: String, _ extra: [String] = []) throws -> String {
    let path = dir + "/lineage.html"
    let r = try CLI.run(["render", "--mesh", mesh, "-o", path] + extra)
    #expect(r.status == 0, "\(r.stderr)")
    return path
  }

  /// Runs `body` with a browser, and always closes it.
  static func withBrowser(_ body: (WebDriver) async throws -> Void) async throws {
    let browser = try await WebDriver()
    do {
      try await body(browser)
    } catch {
      await browser.quit()
      throw error
    }
    await browser.quit()
  }

  static func state(_ b: WebDriver) async throws -> [String: Any] {
    try await b.run("return window.lineageExplorer.state()") as? [String: Any] ?? [:]
  }

  static func ids(_ json: String) throws -> Set<String> {
    let o = try CLI.json(json)
    return Set((o["nodes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
  }

  static let enter = "\u{E007}"

  @Test func theDemoPageSearchesExpandsSwitchesLevelAndKeepsItsViewInTheURL() async throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let page = try Self.export(CLI.root + "/samples/demo", into: dir)
    let size = try FileManager.default.attributesOfItem(atPath: page)[.size] as? Int ?? 0
    #expect(size > 10_000 && size < 1_000_000, "the demo page is \(size) bytes")
    try await Self.withBrowser { b in
      try await b.open("file://" + page)
      // Interactive quickly, with nothing blocked by the policy: the best of three loads,
      // so that a cold browser or a test running beside this one on a shared machine
      // does not count as the page's time.
      var times: [Double] = []
      for _ in 0..<3 {
        try await b.refresh()
        times.append(try await b.run("return window.lineageExplorer.interactiveMs") as? Double ?? .infinity)
      }
      #expect((times.min() ?? .infinity) < 300, "interactive after \(times) ms")
      #expect(try await b.severeLogs() == [])
      // The whole mesh at first.
      let all = try await Self.state(b)["shown"] as? [String] ?? []
      #expect(all.count == 68)

      // Search by id, Enter: the node with one hop each way, as the command line says.
      try await b.type("#q", "crm.customers")
      let suggestion = try await b.run("return document.querySelector('#suggest li[data-i=\"0\"] span').textContent")
      #expect(suggestion as? String == "crm.customers")
      try await b.type("#q", Self.enter)
      let up = try Self.ids(
        CLI.run(["upstream", "crm.customers", "--depth", "1", "--mesh", CLI.root + "/samples/demo", "--format", "json"])
          .stdout)
      let down = try Self.ids(
        CLI.run([
          "downstream", "crm.customers", "--depth", "1", "--mesh", CLI.root + "/samples/demo", "--format", "json",
        ]).stdout)
      var state = try await Self.state(b)
      #expect(state["focus"] as? [String] == ["crm.customers"])
      #expect(Set(state["shown"] as? [String] ?? []) == up.union(down).union(["crm.customers"]))
      let drawn = try await b.run("return document.querySelectorAll('#diagram g.node:not(.hidden)').length") as? Int
      #expect(drawn == up.union(down).union(["crm.customers"]).count)
      #expect(
        try await b.run("return document.getElementById('panel-title').textContent") as? String == "crm.customers")

      // Expand one hop downstream of a reader: the reader stays where it was on screen.
      let reader = try #require(
        down.subtracting(["crm.customers"]).sorted().first { id in
          !(try Self.ids(
            CLI.run(["downstream", id, "--depth", "1", "--mesh", CLI.root + "/samples/demo", "--format", "json"]).stdout
          )).subtracting([id]).isSubset(of: up.union(down))
        })
      let place =
        "var g=document.querySelector('#diagram g.node[aria-label=\"\(reader)\"]');var r=g.getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2]"
      try await b.click("#diagram g.node[aria-label=\"\(reader)\"]")
      #expect(try await b.run("return document.getElementById('panel-title').textContent") as? String == reader)
      let before = try await b.run(place) as? [Double] ?? []
      try await b.click("#act-down")
      let further = try Self.ids(
        CLI.run(["downstream", reader, "--depth", "1", "--mesh", CLI.root + "/samples/demo", "--format", "json"]).stdout
      )
      state = try await Self.state(b)
      #expect(Set(state["shown"] as? [String] ?? []) == up.union(down).union(further))
      let after = try await b.run(place) as? [Double] ?? []
      #expect(
        before.count == 2 && zip(before, after).allSatisfy { abs($0 - $1) <= 2 }, "\(before) then \(after)")

      // The column level: tables, the same view.
      try await b.click("#level")
      state = try await Self.state(b)
      #expect(state["level"] as? String == "column")
      #expect(
        try await b.run("return document.querySelector('#diagram svg').getAttribute('aria-label')") as? String
          == "lineage diagram, column level")
      #expect(Set(state["shown"] as? [String] ?? []) == up.union(down).union(further))

      // The URL holds the view: a reload restores it.
      let url = try await b.url()
      #expect(url.contains("#focus=crm.customers") && url.contains("level=column"))
      try await b.refresh()
      let restored = try await Self.state(b)
      #expect(restored["focus"] as? [String] == ["crm.customers"])
      #expect(restored["level"] as? String == "column")
      #expect(restored["sel"] as? String == reader)
      #expect(Set(restored["shown"] as? [String] ?? []) == Set(state["shown"] as? [String] ?? []))

      // A selector with suggestions: focus on every match.
      try await b.click("#level")
      try await b.run("document.getElementById('q').value=''")
      try await b.type("#q", "domain:finance,kind:consumer")
      try await b.type("#q", Self.enter)
      let selected = try Self.ids(
        CLI.run(["select", "domain:finance,kind:consumer", "--mesh", CLI.root + "/samples/demo", "--format", "json"])
          .stdout)
      #expect(Set(try await Self.state(b)["focus"] as? [String] ?? []) == selected)

      // The keyboard: Enter on a focused node opens it, Escape closes it, / searches.
      let visible = try #require((try await Self.state(b)["shown"] as? [String])?.first)
      try await b.run(
        "document.querySelector('#diagram g.node[aria-label=\"' + arguments[0] + '\"]').focus()", [visible])
      try await b.press(Self.enter)
      #expect(try await Self.state(b)["sel"] as? String == visible)
      try await b.press("\u{E00C}")
      #expect(try await Self.state(b)["sel"] is NSNull)
      try await b.press("/")
      #expect(try await b.run("return document.activeElement.id") as? String == "q")

      // The node list as CSV: one row per node in view, formulas neutralised.
      let csv = try await b.run("return window.lineageExplorer.nodesCSV()") as? String ?? ""
      #expect(csv.split(separator: "\r\n").count == (try await Self.state(b)["shown"] as? [String] ?? []).count + 1)
      #expect(
        try await b.run("return window.lineageExplorer.csvCell('=HYPERLINK(1)')") as? String == "\"'=HYPERLINK(1)\"")
      #expect(try await b.run("return window.lineageExplorer.csvCell('-1+2')") as? String == "\"'-1+2\"")
      #expect(try await b.run("return window.lineageExplorer.csvCell('ok')") as? String == "\"ok\"")
      let svg = try await b.run("return window.lineageExplorer.viewSVG()") as? String ?? ""
      #expect(svg.hasPrefix("<svg") && !svg.contains("class=\"node hidden"))
      // The PNG export draws under the policy (img-src blob:) from file://.
      let png = try await b.run("return window.lineageExplorer.pngSize()") as? Int ?? 0
      #expect(png > 1_000, "PNG of \(png) bytes")
      // A malformed link opens the whole view instead of failing.
      try await b.open("file://" + page + "#focus=%E0%A4%A")
      #expect(try await Self.state(b)["focus"] as? [String] == [])
      #expect(try await b.severeLogs() == [])
    }
  }

  @Test func impactModeColoursTheBlastRadiusAndNamesTheTeams() async throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let page = try Self.export(CLI.root + "/samples/demo", into: dir)
    let cli = try CLI.json(
      CLI.run([
        "impact", "crm.customers.email", "--change", "drop", "--mesh", CLI.root + "/samples/demo", "--format", "json",
      ]).stdout)
    let affected = (cli["affected"] as? [[String: Any]] ?? [])
    let breaks = Set(affected.filter { $0["verdict"] as? String == "breaks" }.compactMap { $0["id"] as? String })
    let teams = Set((cli["teams"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    #expect(!breaks.isEmpty && !teams.isEmpty)
    try await Self.withBrowser { b in
      try await b.open("file://" + page + "#focus=crm.customers&sel=crm.customers")
      try await b.click("select[data-column=\"email\"] option[value=\"drop\"]")
      let state = try await Self.state(b)
      #expect((state["impact"] as? [String: String]) == ["target": "crm.customers.email", "change": "drop"])
      // Red nodes are exactly those that break; the page lists each with its path.
      let red = try await b.run(
        "return [...document.querySelectorAll('#diagram g.node.imp-breaks:not(.hidden)')].map(g=>g.getAttribute('aria-label'))"
      )
      #expect(Set(red as? [String] ?? []) == breaks)
      let listed = try await b.run("return [...document.querySelectorAll('#impact-affected > li')].length") as? Int
      #expect(listed == affected.count)
      let path = try await b.run("return document.querySelector('#impact-affected .path').textContent") as? String ?? ""
      #expect(path.hasPrefix("crm.customers \u{2192} "))
      let named = try await b.run(
        "return [...document.querySelectorAll('#impact-teams tbody tr td:first-child')].map(t=>t.textContent.split(' ')[0])"
      )
      #expect(Set(named as? [String] ?? []) == teams)
      // At the column level the changed column and the columns it reaches are rows in
      // colour: email itself, and as many as the analysis's column verdicts in view.
      try await b.click("#level")
      let rows =
        try await b.run(
          "return [...document.querySelectorAll('#diagram g.node:not(.hidden) .imp-row')].map(r=>r.getAttribute('fill')+' '+r.dataset.column)"
        ) as? [String] ?? []
      let reached = Set(
        affected.flatMap { a in
          (a["columns"] as? [String] ?? []).map {
            (a["verdict"] as? String == "breaks" ? "#ffcecb " : "#fff1a8 ") + "\(a["id"] ?? "").\($0)"
          }
        })
      #expect(!reached.isEmpty)
      #expect(Set(rows) == reached.union(["#b6e3ff crm.customers.email"]), "\(rows)")
      try await b.click("#level")
      // Reload: still in impact mode; Escape leaves it.
      try await b.refresh()
      #expect(try await Self.state(b)["impact"] != nil)
      #expect(
        try await b.run("return document.querySelectorAll('#diagram g.node.imp-breaks').length") as? Int == breaks.count
      )
      try await b.run("document.body.dispatchEvent(new KeyboardEvent('keydown',{key:'Escape',bubbles:true}))")
      #expect(try await Self.state(b)["impact"] is NSNull)
    }
  }

  /// A machine without Chromium fails the browser tests, saying how to install it.
  @Test func withoutABrowserTheTestsFailAndSayHowToInstallIt() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(throws: WebDriver.Failure.self) { try WebDriver.locate(in: dir) }
    do {
      _ = try WebDriver.locate(in: dir)
    } catch {
      #expect("\(error)".contains("make browser") && "\(error)".contains("apt-get install chromium chromium-driver"))
    }
    // Here, where the suite runs, they are installed (make browser).
    #expect(throws: Never.self) { try WebDriver.locate() }
  }

  /// Findings and cycles are marked: a dot on each drawn node a finding names, every
  /// finding listed, a cycle's nodes said to be on one.
  @Test func findingsAndCyclesAreMarked() async throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let page = try Self.export(CLI.root + "/samples/faulty", into: dir)
    let validate = try CLI.json(
      CLI.run(["validate", "--mesh", CLI.root + "/samples/faulty", "--format", "json"]).stdout)
    let findings = validate["findings"] as? [[String: Any]] ?? []
    let cycle = try CLI.json(CLI.run(["cycles", "--mesh", CLI.root + "/samples/faulty", "--format", "json"]).stdout)
    let onCycle = ((cycle["cycles"] as? [[String: Any]])?.first?["nodes"] as? [String]) ?? []
    #expect(findings.count > 5 && onCycle.count == 3)
    try await Self.withBrowser { b in
      try await b.open("file://" + page)
      let drawn = Set(try await Self.state(b)["shown"] as? [String] ?? [])
      let named = Set(
        findings.flatMap { $0["subjects"] as? [String] ?? [] }.map { s in
          drawn.contains(s) ? s : String(s[..<(s.lastIndex(of: ".") ?? s.endIndex)])
        }
      ).intersection(drawn)
      let badged =
        try await b.run(
          "return [...document.querySelectorAll('#diagram g.node')].filter(g=>g.querySelector('.badge')).map(g=>g.getAttribute('aria-label'))"
        ) as? [String] ?? []
      #expect(!named.isEmpty)
      #expect(Set(badged) == named)
      let listed = try await b.run("return document.querySelectorAll('#findings li').length") as? Int
      #expect(listed == findings.count)
      for id in onCycle {
        try await b.open("file://" + page + "#sel=" + id)
        let panel = try await b.run("return document.getElementById('panel').textContent") as? String ?? ""
        #expect(panel.contains("on a cycle"), "\(id)")
      }
      let red = try await b.run("return document.querySelectorAll('#diagram g.edge.cycle').length") as? Int ?? 0
      #expect(red == 3)
    }
  }

  /// Names that are markup stay text: no element is made of them, no script runs.
  @Test func hostileNamesAreShownAsText() async throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let evil = "<img src=x onerror=\"window.pwned=1\">"
    let owner = "</script><script>window.pwned=2</script>"
    let graph = """
      {"nodes":[{"id":\(Self.quoted(evil)),"domain":"d<b>x</b>","owner":\(Self.quoted(owner))},{"id":"plain.reader","domain":"d<b>x</b>"}],
       "edges":[[\(Self.quoted(evil)),"plain.reader"]]}
      """
    try Data(graph.utf8).write(to: URL(fileURLWithPath: dir + "/g.json"))
    let page = try Self.export(dir + "/g.json", into: dir)
    try await Self.withBrowser { b in
      try await b.open("file://" + page)
      try await b.type("#q", "<img")
      try await b.type("#q", Self.enter)
      #expect(try await b.run("return document.getElementById('panel-title').textContent") as? String == evil)
      let text = try await b.run("return document.getElementById('panel').textContent") as? String ?? ""
      #expect(text.contains(owner))
      #expect(
        try await b.run("return document.querySelectorAll('img, b, #panel script, #diagram script').length") as? Int
          == 0)
      #expect(try await b.run("return window.pwned === undefined") as? Bool == true)
      #expect(try await b.run("return document.querySelectorAll('script').length") as? Int == 2)
    }
  }

  /// The same page served by `lineage serve` at `/`, backed by its API, under its
  /// policy header.
  @Test func theServedPageWorksAsTheExportedOne() async throws {
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try ServerTests.Server(
      store: "sqlite:" + dir + "/events.db", arguments: ["--mesh", CLI.root + "/samples/demo"])
    let page = try await ServerTests.request(server.port, "GET", "/")
    #expect(page.status == 200)
    #expect(page.body.contains("<script src=\"explorer.js\"></script>"))
    #expect(!page.body.contains("lineage-data"))
    let policy =
      try await LoopbackHTTP.fetch(port: server.port, method: "GET", path: "/").headers["content-security-policy"] ?? ""
    #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"))
    let script = try await ServerTests.request(server.port, "GET", "/explorer.js")
    #expect(script.status == 200 && script.body.contains("lineageExplorer"))
    try await Self.withBrowser { b in
      try await b.open("http://127.0.0.1:\(server.port)/#focus=crm.customers")
      let shown = Set(try await Self.state(b)["shown"] as? [String] ?? [])
      let up = try Self.ids(
        CLI.run(["upstream", "crm.customers", "--depth", "1", "--mesh", CLI.root + "/samples/demo", "--format", "json"])
          .stdout)
      let down = try Self.ids(
        CLI.run([
          "downstream", "crm.customers", "--depth", "1", "--mesh", CLI.root + "/samples/demo", "--format", "json",
        ])
        .stdout)
      #expect(shown == up.union(down))
      try await b.click("#level")
      #expect(try await Self.state(b)["level"] as? String == "column")
      try await b.click("#level")
      // A retype, which no export precomputes, is asked of the server's impact API.
      let cli = try CLI.json(
        CLI.run([
          "impact", "crm.customers.customer_id", "--change", "retype:varchar(5)", "--mesh", CLI.root + "/samples/demo",
          "--format", "json",
        ]).stdout)
      let breaks = Set(
        (cli["affected"] as? [[String: Any]] ?? []).filter { $0["verdict"] as? String == "breaks" }.compactMap {
          $0["id"] as? String
        })
      #expect(!breaks.isEmpty)
      try await b.open(
        "http://127.0.0.1:\(server.port)/#focus=crm.customers&sel=crm.customers&impact=crm.customers.customer_id&change=drop"
      )
      try await b.type("#retype", "varchar(5)")
      try await b.click("#retype-go")
      var red: [String] = []
      for _ in 0..<50 {
        red =
          try await b.run(
            "return [...document.querySelectorAll('#diagram g.node.imp-breaks')].map(g=>g.getAttribute('aria-label'))")
          as? [String] ?? []
        if !red.isEmpty { break }
        try await Task.sleep(nanoseconds: 100_000_000)
      }
      #expect(Set(red) == breaks)
      #expect((try await Self.state(b)["impact"] as? [String: String])?["change"] == "retype:varchar(5)")
      let logs = try await b.severeLogs()
      #expect(logs == [], "\(logs)")
    }
    #expect(server.stop() == 0)
  }

  /// 5,000 nodes in 10 domains: past the size policy (Views.sfdpLimit).
  static func writeLargeGraph(_ path: String) throws {
    var nodes: [String] = [], edges: [String] = []
    for i in 0..<5_000 {
      nodes.append(#"{"id":"d\#(i % 10).n\#(i)","domain":"d\#(i % 10)","owner":"team\#(i % 10)"}"#)
      if i >= 10 { edges.append(#"["d\#(i % 10).n\#(i - 10)","d\#(i % 10).n\#(i)"]"#) }
      if i >= 13 && i % 7 == 0 { edges.append(#"["d\#((i - 13) % 10).n\#(i - 13)","d\#(i % 10).n\#(i)"]"#) }
    }
    try Data(#"{"nodes":[\#(nodes.joined(separator: ","))],"edges":[\#(edges.joined(separator: ","))]}"#.utf8)
      .write(to: URL(fileURLWithPath: path))
  }

  /// Waits until the page's view shows `id` (the served page lays views out on the server).
  static func waitShown(_ b: WebDriver, _ id: String) async throws -> [String] {
    for _ in 0..<100 {
      let shown = try await Self.state(b)["shown"] as? [String] ?? []
      if shown.contains(id) { return shown }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    throw WebDriver.Failure(description: "\(id) never came into view")
  }

  /// Served, past the size policy: a view is laid out by the server when it grows past
  /// the diagrams the page has, and the node clicked stays where it was on screen.
  @Test func theServedPageLaysOutAGrowingViewAndKeepsTheClickedNodeInPlace() async throws {
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeLargeGraph(dir + "/g.json")
    let server = try ServerTests.Server(store: "sqlite:" + dir + "/events.db", arguments: ["--mesh", dir + "/g.json"])
    try await Self.withBrowser { b in
      try await b.open("http://127.0.0.1:\(server.port)/#focus=d3.n2503&sel=d3.n2503")
      let first = try await Self.waitShown(b, "d3.n2513")
      #expect(Set(first) == ["d3.n2493", "d3.n2503", "d3.n2513"])
      let place =
        "var g=document.querySelector('#diagram g.node[aria-label=\"d3.n2513\"]');var r=g.getBoundingClientRect();return [Math.round(r.left+r.width/2),Math.round(r.top+r.height/2)].join(',')"
      try await b.click("#diagram g.node[aria-label=\"d3.n2513\"]")
      let before = try await b.run(place) as? String
      try await b.click("#act-down")
      let grown = try await Self.waitShown(b, "d3.n2523")
      #expect(Set(grown) == ["d3.n2493", "d3.n2503", "d3.n2513", "d3.n2523"])
      let after = try await b.run(place) as? String
      let xy = { (s: String?) in (s ?? "").split(separator: ",").compactMap { Double($0) } }
      #expect(
        xy(before).count == 2 && zip(xy(before), xy(after)).allSatisfy { abs($0 - $1) <= 2 },
        "\(before ?? "") vs \(after ?? "")")
      let logs = try await b.severeLogs()
      #expect(logs == [], "\(logs)")
    }
    #expect(server.stop() == 0)
  }

  static func quoted(_ s: String) -> String {
    let data = try? JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])
    let array = String(decoding: data ?? Data(), as: UTF8.self)
    return String(array.dropFirst().dropLast())
  }

  /// A mesh past the size policy: the domain level as the overview, the export's focus
  /// drawn, search over every node.
  @Test func aLargeMeshOpensOnItsFocusWithTheOverviewBehind() async throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeLargeGraph(dir + "/g.json")
    let page = try Self.export(
      dir + "/g.json", into: dir, ["--focus", "d3.n2503", "--upstream", "2", "--downstream", "2"])
    try await Self.withBrowser { b in
      try await b.open("file://" + page)
      let state = try await Self.state(b)
      #expect(state["focus"] as? [String] == ["d3.n2503"])
      #expect((state["shown"] as? [String] ?? []).contains("d3.n2513"))
      let notes = try await b.run("return document.getElementById('notes').textContent") as? String ?? ""
      #expect(notes.contains("lineage serve"))
      // Search covers every node, even those outside the drawn focus.
      try await b.type("#q", "d7.n4997")
      #expect(
        try await b.run("return document.querySelector('#suggest li[data-i=\"0\"] span').textContent") as? String
          == "d7.n4997")
      #expect(try await b.severeLogs() == [])
    }
  }
}

/// The pictures of docs/explorer.md, taken by `make screenshots` (which sets
/// LINEAGE_SCREENSHOTS to docs/images); not part of an ordinary test run.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LINEAGE_SCREENSHOTS"] != nil))
struct ExplorerScreenshots {
  @Test func takeTheDocsScreenshots() async throws {
    let out = try #require(ProcessInfo.processInfo.environment["LINEAGE_SCREENSHOTS"])
    let dir = try ExplorerBrowserTests.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let page = try ExplorerBrowserTests.export(CLI.root + "/samples/demo", into: dir)
    let shots: [(String, String)] = [
      ("explorer-focus.png", "#focus=sales.orders&sel=sales.orders"),
      ("explorer-columns.png", "#focus=crm.customers&level=column&sel=crm.customers"),
      ("explorer-impact.png", "#focus=crm.customers&impact=crm.customers.email&change=drop&sel=crm.customers"),
    ]
    let browser = try await WebDriver(width: 1400, height: 820)
    do {
      for (name, hash) in shots {
        try await browser.open("file://" + page + hash)
        try await browser.refresh()
        let png = try await browser.screenshot()
        try png.write(to: URL(fileURLWithPath: out + "/" + name))
        #expect(png.count > 10_000)
      }
    } catch {
      await browser.quit()
      throw error
    }
    await browser.quit()
  }
}

/// Timings of exported pages, for docs/explorer.md: `LINEAGE_EXPLORER_TIME=PAGE.html:NODE,...`
/// prints, for each page, the time to interactive and the time to focus on NODE;
/// `LINEAGE_EXPLORER_TIME_URL=URL,...` the time to interactive and to a drawn node of
/// served pages.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LINEAGE_EXPLORER_TIME"] != nil))
struct ExplorerTimings {
  @Test func timeThePages() async throws {
    let pages = (ProcessInfo.processInfo.environment["LINEAGE_EXPLORER_TIME"] ?? "").split(separator: ",")
    let browser = try await WebDriver()
    do {
      for page in pages {
        let parts = page.split(separator: ":")
        let path = String(parts[0]), node = String(parts.count > 1 ? parts[1] : "")
        var loads: [Double] = [], focuses: [Double] = []
        for _ in 0..<3 {
          try await browser.open("file://" + path)
          try await browser.refresh()
          loads.append(try await browser.run("return window.lineageExplorer.interactiveMs") as? Double ?? -1)
          let script = """
            const q = document.getElementById('q'); const t = performance.now();
            q.value = arguments[0]; q.dispatchEvent(new Event('input'));
            q.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
            return performance.now() - t;
            """
          focuses.append(try await browser.run(script, [node]) as? Double ?? -1)
        }
        print("explorer timing \(path): interactive \(loads) ms; focus on \(node) \(focuses) ms")
      }
      // Served pages (LINEAGE_EXPLORER_TIME_URL=URL#focus=NODE,...): interactive, and the
      // focus drawn (the server lays its view out), from the start of navigation.
      let urls = (ProcessInfo.processInfo.environment["LINEAGE_EXPLORER_TIME_URL"] ?? "").split(separator: ",")
      for url in urls {
        var loads: [Double] = [], drawn: [Double] = []
        for _ in 0..<3 {
          try await browser.command("POST", "/url", ["url": "about:blank"])
          try await browser.open(String(url))
          loads.append(try await browser.run("return window.lineageExplorer.interactiveMs") as? Double ?? -1)
          var at = -1.0
          for _ in 0..<600 {
            let t =
              try await browser.run(
                "return document.querySelector('#diagram g.node[aria-label]:not(.hidden)') ? performance.now() : -1")
              as? Double ?? -1
            if t >= 0 {
              at = t
              break
            }
            try await Task.sleep(nanoseconds: 10_000_000)
          }
          drawn.append(at)
        }
        print("explorer timing \(url): interactive \(loads) ms; focus drawn \(drawn) ms")
      }
    } catch {
      await browser.quit()
      throw error
    }
    await browser.quit()
  }
}
