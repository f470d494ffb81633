internal import CompressNIO
internal import Foundation
internal import Hummingbird
internal import LineageCore
internal import LineageLoaders
internal import LineageReports
internal import Logging
internal import NIOCore

/// `lineage serve`: takes OpenLineage events over HTTP as Marquez does, keeps them in
/// an ``EventStore``, and answers the command line's questions over HTTP with the
/// command line's JSON.
public enum LineageServer {
  /// How the server runs.
  public struct Options: Sendable {
    /// The address to bind (127.0.0.1 unless told otherwise).
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one.
    public var port = 5000
    /// The largest request body taken, after decompression (default 32 MiB).
    public var bodyLimit = 32 << 20
    /// API keys; when there are any, every request but `/healthz` needs
    /// `Authorization: Bearer KEY` with one of them.
    public var apiKeys: [String] = []
    /// The map file `GET /api/mesh/drift` matches observed datasets with (read at each
    /// request, so that edits count); nil for none.
    public var driftMap: String?

    /// Defaults: 127.0.0.1:5000, 32 MiB, no keys.
    public init() {}
  }

  /// Runs the server until SIGTERM or SIGINT; in-flight requests finish first.
  ///
  /// - Parameters:
  ///   - options: Address, limits and keys.
  ///   - state: The events and graph.
  ///   - onListening: Called with the bound port once the server accepts connections.
  /// - Throws: When the address cannot be bound.
  public static func run(
    options: Options, state: LineageState, onListening: @escaping @Sendable (Int) -> Void
  ) async throws {
    let router = Router()
    let api = API(state: state, options: options, metrics: ServerMetrics())
    router.add(middleware: AuthMiddleware(keys: options.apiKeys))
    router.get("healthz") { _, _ in try await api.health() }
    router.get("metrics") { _, _ in
      api.metrics.count(builds: await state.modelBuilds)
      return Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: api.metrics.text())))
    }
    router.post("api/v1/lineage") { request, _ in try await api.ingest(request, batch: false) }
    router.post("api/v1/lineage/batch") { request, _ in try await api.ingest(request, batch: true) }
    router.get("api/mesh/upstream") { request, _ in try await api.timed { try await api.reach(request, .upstream) } }
    router.get("api/mesh/downstream") { request, _ in try await api.timed { try await api.reach(request, .downstream) }
    }
    router.get("api/mesh/select") { request, _ in try await api.timed { try await api.select(request) } }
    router.get("api/mesh/cycles") { request, _ in try await api.timed { try await api.cycles(request) } }
    router.get("api/mesh/stats") { request, _ in try await api.timed { try await api.stats(request) } }
    router.get("api/mesh/impact") { request, _ in try await api.timed { try await api.impact(request) } }
    router.get("api/mesh/validate") { request, _ in try await api.timed { try await api.validate(request) } }
    router.get("api/mesh/owners") { request, _ in try await api.timed { try await api.owners(request) } }
    router.get("api/mesh/render") { request, _ in try await api.timed { try await api.render(request) } }
    router.get("api/mesh/drift") { request, _ in try await api.timed { try await api.drift(request) } }
    router.get("/") { request, _ in try await api.timed { try await api.explorerPage(request) } }
    router.get("explorer.js") { _, _ in api.explorerAsset(script: true) }
    router.get("explorer.css") { _, _ in api.explorerAsset(script: false) }
    router.get("api/explorer/data") { request, _ in try await api.timed { try await api.explorerData(request) } }
    router.get("api/explorer/view") { request, _ in try await api.timed { try await api.explorerView(request) } }
    router.get("api/v1/lineage") { request, _ in try await api.timed { try await api.marquezLineage(request) } }
    router.get("api/v1/column-lineage") { request, _ in
      try await api.timed { try await api.marquezColumnLineage(request) }
    }
    router.get("api/v1/namespaces/:namespace/datasets") { request, context in
      try await api.timed {
        try await api.marquezListing(request, namespace: context.parameters.get("namespace") ?? "", jobs: false)
      }
    }
    router.get("api/v1/namespaces/:namespace/jobs") { request, context in
      try await api.timed {
        try await api.marquezListing(request, namespace: context.parameters.get("namespace") ?? "", jobs: true)
      }
    }
    router.get("api/v1/namespaces") { request, _ in try await api.timed { try await api.marquezNamespaces(request) } }
    let app = Application(
      router: router,
      configuration: .init(address: .hostname(options.host, port: options.port), serverName: "lineage"),
      onServerRunning: { channel in
        onListening(channel.localAddress?.port ?? options.port)
        // The explorer's data, ready before the first visit (built off the event loop).
        Task.detached(priority: .background) { await api.warmExplorer() }
      },
      // Logs go to standard error; standard output carries only the listening line.
      logger: Logger(label: "lineage", factory: { StreamLogHandler.standardError(label: $0) }))
    try await app.runService()
  }
}

/// Checks `Authorization: Bearer KEY` against the configured keys in constant time;
/// `/healthz` stays open so that probes need no key, and so do the explorer's page,
/// script and stylesheet (which hold no data; the data they fetch needs a key).
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
  let keys: [[UInt8]]

  init(keys: [String]) { self.keys = keys.map { Array($0.utf8) } }

  /// The paths that need no key.
  static var open: Set<String> { ["/healthz", "/", "/explorer.js", "/explorer.css"] }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    guard !keys.isEmpty, !Self.open.contains(request.uri.path) else { return try await next(request, context) }
    let header = request.headers[.authorization] ?? ""
    let given = header.hasPrefix("Bearer ") ? Array(header.utf8.dropFirst(7)) : []
    var ok = false
    for key in keys where Self.constantTimeEqual(key, given) { ok = true }
    guard ok else {
      return API.error(.unauthorized, "a valid 'Authorization: Bearer KEY' header is required")
    }
    return try await next(request, context)
  }

  /// Compares without stopping at the first difference, so timing does not tell how
  /// much of a key was right.
  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
    for i in 0..<a.count { diff |= a[i] ^ (i < b.count ? b[i] : 0) }
    return diff == 0
  }
}

/// The handlers, over one ``LineageState``.
struct API: Sendable {
  let state: LineageState
  let options: LineageServer.Options
  let metrics: ServerMetrics
  /// The explorer's data and diagrams, built once per model version.
  let explorerCache = ExplorerCache()

  /// Runs a query, its duration recorded; a ``ResponseFailure`` it throws (a bad
  /// parameter) is its answer.
  func timed(_ body: () async throws -> Response) async throws -> Response {
    let start = ContinuousClock.now
    defer { metrics.queryLatency.record(ContinuousClock.now - start) }
    do {
      return try await body()
    } catch let failure as ResponseFailure {
      return failure.response
    }
  }

  static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
    json(status, Array(text.utf8))
  }

  static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  /// `{"error": MESSAGE}` with the status.
  static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
    var w = JSONWriter(pretty: false, capacity: message.utf8.count + 16)
    w.beginObject()
    w.key("error")
    w.string(message)
    w.endObject()
    return json(status, w.bytes + [10])
  }

  func health() async throws -> Response {
    Self.json(.ok, "{\"status\":\"ok\",\"events\":\(await state.eventCount)}\n")
  }

  /// `POST /api/v1/lineage` (one event, or an array) and `/api/v1/lineage/batch` (an
  /// array): each event checked, then all stored in one transaction, then 201.
  func ingest(_ request: Request, batch: Bool) async throws -> Response {
    let start = ContinuousClock.now
    let response = try await take(request, batch: batch)
    metrics.ingestLatency.record(ContinuousClock.now - start)
    if response.status != .created { metrics.rejected(status: response.status.code) }
    return response
  }

  func take(_ request: Request, batch: Bool) async throws -> Response {
    let body: [UInt8]
    switch try await self.body(of: request) {
    case .success(let b): body = b
    case .failure(let failure): return failure.response
    }
    let documents: [[UInt8]]
    switch OpenLineageImporter.split(events: body) {
    case .malformed(let message): return Self.error(.badRequest, message)
    case .events(let parts, let isArray):
      if batch && !isArray { return Self.error(.badRequest, "the batch endpoint takes a JSON array of events") }
      documents = parts
    }
    var events: [StoredEvent] = []
    events.reserveCapacity(documents.count)
    for (i, d) in documents.enumerated() {
      let at = documents.count > 1 ? "event \(i): " : ""
      switch OpenLineageImporter.check(event: d) {
      case .accepted(let kind, let time):
        events.append(StoredEvent(sequence: 0, body: d, kind: kind, eventTime: time))
      case .malformed(let message): return Self.error(.badRequest, at + message)
      case .incomplete(let message): return Self.error(.unprocessableContent, at + message)
      }
    }
    do {
      let new = try await state.ingest(events)
      metrics.ingested.increment(by: Int64(new))
      metrics.duplicates.increment(by: Int64(events.count - new))
    } catch {
      return Self.error(.serviceUnavailable, error.message)
    }
    return Response(status: .created)
  }

  /// The most gzip members a body may hold (`cat a.gz b.gz` makes two).
  static let maxGzipMembers = 1_000

  /// The request's body, decompressed when `Content-Encoding: gzip`, within the limit.
  func body(of request: Request) async throws -> Result<[UInt8], ResponseFailure> {
    let limit = options.bodyLimit
    var buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: limit)
    } catch {
      return .failure(ResponseFailure(Self.error(.contentTooLarge, "the body is over the limit of \(limit) bytes")))
    }
    let encoding = request.headers[.contentEncoding]?.lowercased() ?? "identity"
    switch encoding {
    case "identity": break
    case "gzip", "x-gzip", "deflate":
      do {
        let gzip = encoding != "deflate"
        let cut = ResponseFailure(
          Self.error(
            .badRequest, "the \(encoding) body is cut short or has data after its end (its checksum does not match)"))
        var input = buffer
        var plain: [UInt8] = []
        // A gzip body may be several members one after another (RFC 1952, 2.2: what
        // `cat a.gz b.gz` makes), each with its own trailer; a deflate body is one
        // stream. The decompressor reads one member and stops without a word where it
        // ends or where the input does, so each member's trailer is checked, and
        // anything after a member that is not another member is refused. Members are
        // read in place (`buffer` keeps the whole body's indices readable), and there are
        // at most `maxGzipMembers` of them: empty members (20 bytes each, nothing
        // decompressed) would otherwise make a body within the limit cost a pass each.
        var members = 0
        repeat {
          members += 1
          guard members <= Self.maxGzipMembers else {
            return .failure(
              ResponseFailure(
                Self.error(.badRequest, "the gzip body has more than \(Self.maxGzipMembers) members")))
          }
          let start = input.readerIndex
          let head = buffer.getBytes(at: start, length: min(2, input.readableBytes)) ?? []
          if members > 1 && head != [0x1F, 0x8B] { return .failure(cut) }
          // HTTP's `deflate` is a zlib stream, but some clients send raw deflate (no
          // header, no checksum: a cut body is then caught by the JSON's own end).
          let raw = !gzip && !CompressedBody.hasZlibHeader(head)
          let out = try input.decompress(
            with: gzip ? .gzip() : raw ? .deflate() : .zlib(), maxSize: max(1, limit - plain.count))
          let member = buffer.getBytes(at: start, length: input.readerIndex - start) ?? []
          let part = Array(out.readableBytesView)
          guard raw || CompressedBody.isWhole(member, plain: part, gzip: gzip), gzip || input.readableBytes == 0 else {
            return .failure(cut)
          }
          plain += part
          guard plain.count <= limit else { throw CompressNIOError.bufferOverflow }
        } while input.readableBytes > 0
        return .success(plain)
      } catch let error as CompressNIOError where error == .bufferOverflow {
        return .failure(
          ResponseFailure(Self.error(.contentTooLarge, "the decompressed body is over the limit of \(limit) bytes")))
      } catch {
        return .failure(ResponseFailure(Self.error(.badRequest, "the \(encoding) body cannot be decompressed")))
      }
    default:
      return .failure(
        ResponseFailure(Self.error(.unsupportedMediaType, "Content-Encoding '\(encoding)' is not supported")))
    }
    return .success(Array(buffer.readableBytesView))
  }

  /// `GET /api/mesh/upstream|downstream?selector=S&depth=N&exclude=E&asOf=T`.
  func reach(_ request: Request, _ direction: Direction) async throws -> Response {
    let q = request.uri.queryParameters
    let selector = q.getAll("selector").map { String($0) }
    guard !selector.isEmpty else { return Self.error(.badRequest, "selector is required") }
    let depth = try Self.integer(q.get("depth"), "depth")
    let model = try await model(asOf: q.get("asOf"))
    do {
      let answer = try MeshQuery.reach(
        model, direction: direction, selector: selector, depth: depth, exclude: q.get("exclude"))
      return Self.json(.ok, answer.report.json())
    } catch {
      return Self.error(error.reason == .noMatch ? .notFound : .badRequest, error.description)
    }
  }

  /// `GET /api/mesh/select?selector=S&exclude=E&asOf=T`.
  func select(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    let selector = q.getAll("selector").map { String($0) }
    guard !selector.isEmpty else { return Self.error(.badRequest, "selector is required") }
    let model = try await model(asOf: q.get("asOf"))
    do {
      let answer = try MeshQuery.select(model, selector: selector, exclude: q.get("exclude"), eagerTests: false)
      return Self.json(.ok, answer.report.json())
    } catch {
      return Self.error(.badRequest, error.description)
    }
  }

  /// The model now, or as of the `asOf` parameter.
  ///
  /// - Throws: ``ResponseFailure`` (400) when `asOf` is not a date-time.
  func model(asOf: String?, jobs: Bool? = nil) async throws -> LineageModel {
    try await versioned(asOf: asOf, jobs: jobs).model
  }

  /// The model now, or as of the `asOf` parameter, with its version (see
  /// ``LineageState/version``) and the time it is as of (seconds since 1970).
  ///
  /// - Throws: ``ResponseFailure`` (400) when `asOf` is not a date-time.
  func versioned(asOf: String?, jobs: Bool? = nil) async throws -> (
    model: LineageModel, version: UInt64, asOf: Double?
  ) {
    guard let asOf else {
      let (model, version) = try await Self.unavailable { () async throws(StoreError) in
        try await state.versioned(jobs: jobs)
      }
      return (model, version, nil)
    }
    guard let t = OpenLineageImporter.seconds(since1970: asOf) else {
      throw ResponseFailure(Self.error(.badRequest, "asOf must be an ISO 8601 date-time"))
    }
    let (model, version) = try await Self.unavailable { () async throws(StoreError) in
      try await state.versioned(asOf: t, jobs: jobs)
    }
    return (model, version, t)
  }

  /// The result of `body`, or a 503 answer (``ResponseFailure``) naming what failed
  /// when the events cannot be read.
  static func unavailable<T>(_ body: () async throws(StoreError) -> T) async throws(ResponseFailure) -> T {
    do {
      return try await body()
    } catch {
      throw ResponseFailure(Self.error(.serviceUnavailable, error.message))
    }
  }

  /// A whole-number parameter, 0 or more; nil when absent.
  ///
  /// - Throws: ``ResponseFailure`` (400) for anything else.
  static func integer(_ text: String?, _ name: String) throws -> Int? {
    guard let text else { return nil }
    guard let n = Int(text), n >= 0 else {
      throw ResponseFailure(error(.badRequest, "\(name) must be a whole number, 0 or more"))
    }
    return n
  }
}

/// A response that ends a handler early: thrown by a parameter's check, answered by
/// ``API/timed(_:)``.
struct ResponseFailure: Error {
  let response: Response
  init(_ response: Response) { self.response = response }
}
