import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Headless Chromium driven through chromedriver's W3C WebDriver HTTP API: the real
/// browser the explorer page runs in. A machine without Debian's `chromium` and
/// `chromium-driver` fails with how to install them.
final class WebDriver: @unchecked Sendable {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static let install =
    "the browser tests need Chromium and chromedriver: run `make browser` (or `apt-get install chromium chromium-driver`)"

  /// Where the tests look for Chromium and chromedriver: the PATH, /usr/bin and
  /// /usr/lib/chromium.
  static var searchPath: String {
    (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/usr/lib/chromium"
  }

  /// The first executable of `names` in `path` (directories separated by colons).
  static func find(_ names: [String], in path: String = searchPath) -> String? {
    for dir in path.split(separator: ":") {
      for name in names where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
        return "\(dir)/\(name)"
      }
    }
    return nil
  }

  let driver = Process()
  let port: Int
  let session: String
  let http: URLSession

  /// chromedriver and Chromium, found in `path`; without them, a failure that says how
  /// to install them (the browser tests fail, they are never skipped).
  static func locate(in path: String = searchPath) throws -> (driver: String, browser: String) {
    guard let driver = find(["chromedriver"], in: path), let browser = find(["chromium", "chromium-browser"], in: path)
    else {
      throw Failure(description: install)
    }
    return (driver, browser)
  }

  /// Starts chromedriver on a free port and opens a headless Chromium session.
  init(width: Int = 1400, height: Int = 900) async throws {
    let (driverPath, browser) = try Self.locate()
    let config = URLSessionConfiguration.ephemeral
    config.connectionProxyDictionary = [:]
    config.timeoutIntervalForRequest = 60
    http = URLSession(configuration: config)
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    port = try Self.freePort()
    driver.executableURL = URL(fileURLWithPath: driverPath)
    driver.arguments = ["--port=\(port)"]
    driver.standardOutput = FileHandle.nullDevice
    driver.standardError = FileHandle.nullDevice
    try driver.run()
    var ready = false
    for _ in 0..<100 {
      if let status = try? await Self.call(http, port, "GET", "/status", nil), status["ready"] as? Bool == true {
        ready = true
        break
      }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    guard ready else {
      Self.stop(driver)
      throw Failure(description: "chromedriver did not start on port \(port)")
    }
    let capabilities: [String: Any] = [
      "capabilities": [
        "alwaysMatch": [
          "browserName": "chrome",
          "goog:loggingPrefs": ["browser": "ALL"],
          "goog:chromeOptions": [
            "binary": browser,
            "args": [
              "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=\(width),\(height)", "--no-first-run", "--disable-extensions",
            ],
          ],
        ]
      ]
    ]
    do {
      let value = try await Self.call(http, port, "POST", "/session", capabilities)
      guard let id = value["sessionId"] as? String else { throw Failure(description: "no session: \(value)") }
      session = id
    } catch {
      Self.stop(driver)
      throw error
    }
  }

  /// Ends the session and chromedriver.
  func quit() async {
    _ = try? await Self.call(http, port, "DELETE", "/session/\(session)", nil)
    Self.stop(driver)
  }

  /// chromedriver does not stop on SIGTERM: SIGKILL, then reap it.
  static func stop(_ process: Process) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  deinit { Self.stop(driver) }

  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
        bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
      }
    }
    guard bound else { throw Failure(description: "no free port") }
    return Int(UInt16(bigEndian: addr.sin_port))
  }

  /// One WebDriver command: its `value`, as a dictionary when it is one.
  @discardableResult
  static func call(_ http: URLSession, _ port: Int, _ method: String, _ path: String, _ body: [String: Any]?)
    async throws -> [String: Any]
  {
    let value = try await raw(http, port, method, path, body)
    return value as? [String: Any] ?? ["value": value as Any]
  }

  static func raw(_ http: URLSession, _ port: Int, _ method: String, _ path: String, _ body: [String: Any]?)
    async throws -> Any?
  {
    let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
    let (status, data) = try exchange(port, method, path, payload)
    let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
    let value = object?["value"]
    if status >= 400 {
      throw Failure(description: "WebDriver \(method) \(path): \(status) \(value ?? "")")
    }
    return value
  }

  /// One HTTP/1.1 request over a plain socket. chromedriver writes its headers as
  /// `Content-Length:252` (no space), which FoundationNetworking's URLSession refuses
  /// ("Failed writing header"), so the tests speak HTTP themselves: one request per
  /// connection, read to the end.
  static func exchange(_ port: Int, _ method: String, _ path: String, _ body: Data) throws -> (Int, Data) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "no socket") }
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
    guard connected else { throw Failure(description: "cannot connect to chromedriver on port \(port)") }
    var request = Data(
      "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        .utf8)
    request.append(body)
    try request.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      var sent = 0
      while sent < raw.count {
        let n = send(fd, raw.baseAddress.map { $0 + sent }, raw.count - sent, 0)
        guard n > 0 else { throw Failure(description: "send to chromedriver failed") }
        sent += n
      }
    }
    // Read the head, then Content-Length bytes (chromedriver keeps the connection open).
    var response = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var expected: Int?
    var bodyStart = 0
    while expected.map({ response.count < bodyStart + $0 }) ?? true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      response.append(contentsOf: buffer[0..<n])
      if expected == nil, let split = response.range(of: Data("\r\n\r\n".utf8)) {
        bodyStart = split.upperBound
        let head = String(decoding: response[..<split.lowerBound], as: UTF8.self).lowercased()
        let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
        expected = Int(length.map { $0.dropFirst(15).trimmingCharacters(in: .whitespaces) } ?? "") ?? 0
      }
    }
    guard expected != nil else { throw Failure(description: "no answer from chromedriver for \(method) \(path)") }
    let head = String(decoding: response[..<bodyStart], as: UTF8.self)
    let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    return (status, Data(response[bodyStart...]))
  }

  @discardableResult
  func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
    try await Self.raw(http, port, method, "/session/\(session)\(path)", body)
  }

  /// Opens a URL and waits until the page says it is ready (or failed).
  func open(_ url: String) async throws {
    try await command("POST", "/url", ["url": url])
    try await waitReady()
  }

  func waitReady() async throws {
    for _ in 0..<200 {
      let ready = try await run("return document.body && document.body.dataset.ready || ''") as? String
      if ready == "true" { return }
      if ready == "error" {
        let error = try await run("return window.lineageExplorer && window.lineageExplorer.error")
        throw Failure(description: "the page failed to start: \(error ?? "")")
      }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    throw Failure(description: "the page did not become ready")
  }

  /// Runs `script` (a function body) in the page; its return value.
  @discardableResult
  func run(_ script: String, _ args: [Any] = []) async throws -> Any? {
    try await command("POST", "/execute/sync", ["script": script, "args": args])
  }

  /// The WebDriver id of the element `css` selects.
  func element(_ css: String) async throws -> String {
    let value = try await command("POST", "/element", ["using": "css selector", "value": css]) as? [String: Any]
    guard let id = value?.values.first as? String else { throw Failure(description: "no element \(css)") }
    return id
  }

  /// Clicks the element `css` selects, as a user would.
  func click(_ css: String) async throws {
    let id = try await element(css)
    try await command("POST", "/element/\(id)/click", [:])
  }

  /// Types into the element `css` selects (WebDriver key codes for Enter and such).
  func type(_ css: String, _ text: String) async throws {
    let id = try await element(css)
    try await command("POST", "/element/\(id)/value", ["text": text])
  }

  /// Presses a key on whatever has the focus, as a keyboard would (WebDriver actions).
  func press(_ key: String) async throws {
    let actions: [String: Any] = [
      "actions": [
        [
          "type": "key", "id": "keyboard",
          "actions": [["type": "keyDown", "value": key], ["type": "keyUp", "value": key]],
        ]
      ]
    ]
    try await command("POST", "/actions", actions)
  }

  /// A screenshot of the window, as PNG.
  func screenshot() async throws -> Data {
    guard let b64 = try await command("GET", "/screenshot") as? String, let data = Data(base64Encoded: b64) else {
      throw Failure(description: "no screenshot")
    }
    return data
  }

  func refresh() async throws {
    try await command("POST", "/refresh", [:])
    try await waitReady()
  }

  func url() async throws -> String { try await command("GET", "/url") as? String ?? "" }

  /// The browser's console errors (Chromium's log), to catch a blocked script or style.
  func severeLogs() async throws -> [String] {
    let entries = try await command("POST", "/se/log", ["type": "browser"]) as? [[String: Any]] ?? []
    return entries.filter { $0["level"] as? String == "SEVERE" }.compactMap { $0["message"] as? String }
  }
}
