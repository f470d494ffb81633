import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The explorer's data as `lineage serve` answers it: built once per model version
/// (even for concurrent requests), tagged, revalidated, compressed for a client that
/// takes gzip, and built again after the model changes.
extension ServerTests {
  /// One answer over a plain socket: the status, the headers (names in lower case) and
  /// the body as sent (not decompressed).
  struct RawAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data
  }

  /// A GET with exactly `headers` (URLSession would add and decode `Accept-Encoding`).
  static func rawGet(_ port: Int, _ path: String, _ headers: [String: String] = [:]) throws -> RawAnswer {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServerError(message: "no socket") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    guard connected else { throw ServerError(message: "cannot connect to port \(port)") }
    var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (k, v) in headers { head += "\(k): \(v)\r\n" }
    let request = Array((head + "\r\n").utf8)
    var sent = 0
    while sent < request.count {
      let n = request.withUnsafeBytes { send(fd, $0.baseAddress.map { $0 + sent }, request.count - sent, 0) }
      guard n > 0 else { throw ServerError(message: "send failed") }
      sent += n
    }
    var response = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      response.append(contentsOf: buffer[0..<n])
    }
    guard let split = response.range(of: Data("\r\n\r\n".utf8)) else {
      throw ServerError(message: "no answer for \(path)")
    }
    let lines = String(decoding: response[..<split.lowerBound], as: UTF8.self).split(separator: "\r\n")
    var fields: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    var body = Data(response[split.upperBound...])
    if fields["transfer-encoding"] == "chunked" { body = try Self.dechunk(body) }
    return RawAnswer(status: status, headers: fields, body: body)
  }

  /// The body of a chunked response.
  static func dechunk(_ data: Data) throws -> Data {
    var out = Data()
    var rest = data[...]
    while let line = rest.range(of: Data("\r\n".utf8)) {
      let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self), radix: 16) ?? 0
      if size == 0 { break }
      out.append(rest[line.upperBound..<(line.upperBound + size)])
      rest = rest[(line.upperBound + size + 2)...]
    }
    return out
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
    let answers = try await withThrowingTaskGroup(of: RawAnswer.self) { group in
      for _ in 0..<4 {
        group.addTask { try Self.rawGet(port, "/api/explorer/data?focus=crm.customers&upstream=2") }
      }
      var all: [RawAnswer] = []
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
