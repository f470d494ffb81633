import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The explorer's data as `lineage serve` answers it: built once per model version
/// (even for concurrent requests), tagged, revalidated, compressed for a client that
/// takes gzip, and built again after the model changes.
extension ServerTests {
  /// A GET with exactly `headers` (no `Accept-Encoding` added, nothing decoded).
  static func rawGet(_ port: Int, _ path: String, _ headers: [String: String] = [:]) throws -> LoopbackHTTP.Answer {
    try LoopbackHTTP.exchange(port: port, method: "GET", path: path, headers: headers)
  }

  /// How many explorer answers the server built, from `/metrics`.
  static func explorerBuilds(_ port: Int) async throws -> Int {
    let text = try await Self.request(port, "GET", "/metrics").body
    let line = text.split(separator: "\n").first { $0.hasPrefix("lineage_explorer_builds_total ") }
    return Int(line?.split(separator: " ").last ?? "") ?? -1
  }

  @Test func theExplorerDataIsBuiltOncePerModelAndRevalidatedByItsTag() async throws {
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try Server(store: "sqlite:" + dir + "/events.db", arguments: ["--mesh", CLI.root + "/samples/demo"])
    let port = server.port
    // The page's data is built once the server listens, before anyone asks.
    var warmed = -1
    for _ in 0..<300 {
      warmed = try await Self.explorerBuilds(port)
      if warmed == 1 { break }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    #expect(warmed == 1)
    let first = try Self.rawGet(port, "/api/explorer/data")
    #expect(first.status == 200 && first.headers["content-encoding"] == nil)
    #expect(first.headers["cache-control"] == "private, no-cache")
    let tag = try #require(first.headers["etag"])
    #expect(try await Self.explorerBuilds(port) == 1)
    let plain = first.body
    let data = try CLI.json(String(decoding: plain, as: UTF8.self))
    #expect((data["name"] as? String)?.isEmpty == false)
    // Four requests at once for other parameters: one build, one answer.
    let answers = try await withThrowingTaskGroup(of: LoopbackHTTP.Answer.self) { group in
      for _ in 0..<4 {
        group.addTask {
          try await LoopbackHTTP.fetch(
            port: port, method: "GET", path: "/api/explorer/data?focus=crm.customers&upstream=2")
        }
      }
      var all: [LoopbackHTTP.Answer] = []
      for try await a in group { all.append(a) }
      return all
    }
    #expect(answers.allSatisfy { $0.status == 200 })
    let focusedTag = try #require(answers.first?.headers["etag"])
    #expect(focusedTag != tag)
    #expect(answers.allSatisfy { $0.headers["etag"] == focusedTag && $0.body == answers[0].body })
    #expect(try await Self.explorerBuilds(port) == 2)

    // Compressed for a client that takes gzip, under its own tag; the same JSON.
    let packed = try Self.rawGet(port, "/api/explorer/data", ["Accept-Encoding": "gzip, deflate"])
    #expect(packed.status == 200 && packed.headers["content-encoding"] == "gzip")
    #expect(packed.headers["vary"] == "Accept-Encoding")
    let packedTag = try #require(packed.headers["etag"])
    #expect(packedTag != tag)
    #expect(packed.body.count < plain.count / 2)
    #expect(try CLI.gzip(packed.body, ["-dc"]) == plain)
    #expect(try Self.rawGet(port, "/api/explorer/data", ["Accept-Encoding": "gzip;q=0"]).headers["etag"] == tag)

    // Revalidated: 304 and no body while the model is the same.
    let same = try Self.rawGet(port, "/api/explorer/data", ["If-None-Match": tag])
    #expect(same.status == 304 && same.body.isEmpty && same.headers["etag"] == tag)
    let samePacked = try Self.rawGet(
      port, "/api/explorer/data", ["If-None-Match": "\"other\", " + packedTag, "Accept-Encoding": "gzip"])
    #expect(samePacked.status == 304)
    // Other parameters are another answer.
    let focused = try Self.rawGet(port, "/api/explorer/data?focus=crm.customers")
    #expect(focused.status == 200 && focused.headers["etag"] != tag)
    #expect(try await Self.explorerBuilds(port) == 3)

    // Events change the model: the answer is built again, with a new tag.
    let events = try Data(contentsOf: URL(fileURLWithPath: Self.seed))
    #expect(try await Self.request(port, "POST", "/api/v1/lineage", body: events).status == 201)
    let changed = try Self.rawGet(port, "/api/explorer/data", ["If-None-Match": tag])
    #expect(changed.status == 200 && changed.headers["etag"] != tag)
    #expect(String(decoding: changed.body, as: UTF8.self).contains("food_delivery"))
    #expect(try await Self.explorerBuilds(port) == 4)
    #expect(try Self.rawGet(port, "/api/explorer/data").headers["etag"] == changed.headers["etag"])
    #expect(try await Self.explorerBuilds(port) == 4)
    #expect(server.stop() == 0)
  }
}
