import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// HTTP/1.1 to a process under test on the loopback interface (the server, chromedriver),
/// over a plain socket: one request per connection (`Connection: close`), exactly the
/// headers given (no `Accept-Encoding` added, nothing decoded but chunks), a timeout on
/// every read and write, the answer read to the end or to its `Content-Length`.
/// FoundationNetworking's URLSession refuses chromedriver's `Content-Length:252` (no
/// space), and its async requests can deadlock when cancelled.
enum LoopbackHTTP {
  /// A status, the header fields (names lowercased) and the body.
  struct Answer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// One request, blocking the calling thread until the answer is read whole.
  ///
  /// - Parameters:
  ///   - port: The server's port on 127.0.0.1.
  ///   - method: `GET`, `POST`, ...
  ///   - path: The path and query.
  ///   - body: The body (sent with its `Content-Length`), if any.
  ///   - headers: More header fields.
  ///   - timeout: Seconds that each read or write may wait (more than 0): a whole
  ///     exchange may take longer, as long as bytes keep coming.
  /// - Returns: The answer.
  /// - Throws: ``Failure`` when no connection is made, or the answer is not whole: none
  ///   came, a read waited past `timeout`, or the connection closed before the length
  ///   its head gave (or, chunked, before its last chunk).
  static func exchange(
    port: Int, method: String, path: String, body: Data? = nil, headers: [String: String] = [:],
    timeout: Double = 120
  ) throws -> Answer {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "no socket") }
    defer { close(fd) }
    var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    guard connected else { throw Failure(description: "cannot connect to port \(port)") }
    precondition(timeout > 0, "a timeout of 0 would be none")
    precondition(
      !headers.keys.contains { ["host", "connection", "content-length"].contains($0.lowercased()) },
      "the exchange sets Host, Connection and Content-Length itself")
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    if let body { head += "Content-Length: \(body.count)\r\n" }
    for (k, v) in headers { head += "\(k): \(v)\r\n" }
    var request = Data((head + "\r\n").utf8)
    if let body { request.append(body) }
    // A server may answer before the whole body is sent (413 past its limit) and close:
    // the answer is read all the same (and a write to a closed socket raises no SIGPIPE).
    request.withUnsafeBytes { bytes in
      var sent = 0
      while sent < bytes.count {
        let n = send(fd, bytes.baseAddress.map { $0 + sent }, bytes.count - sent, Int32(MSG_NOSIGNAL))
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        sent += n
      }
    }
    // Read to the end, or to the end of a body of known length (chromedriver keeps the
    // connection open).
    var response = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var end: Int?
    while end.map({ response.count < $0 }) ?? true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n < 0 && errno == EINTR { continue }
      if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
        throw Failure(description: "\(method) \(path) on port \(port): no byte for \(timeout) s")
      }
      if n <= 0 { break }
      response.append(contentsOf: buffer[0..<n])
      if end == nil, let split = response.range(of: Data("\r\n\r\n".utf8)) {
        let head = String(decoding: response[..<split.lowerBound], as: UTF8.self).lowercased()
        let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
        end = length.flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) }.map {
          split.upperBound + $0
        }
      }
    }
    guard let split = response.range(of: Data("\r\n\r\n".utf8)) else {
      throw Failure(description: "no answer to \(method) \(path) on port \(port)")
    }
    if let end, response.count < end {
      throw Failure(description: "\(method) \(path): the answer ended \(end - response.count) bytes short")
    }
    let lines = String(decoding: response[..<split.lowerBound], as: UTF8.self).split(separator: "\r\n")
    var fields: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    var answer = Data(response[split.upperBound...])
    if fields["transfer-encoding"]?.lowercased().split(separator: ",").last?.trimmingCharacters(in: .whitespaces)
      == "chunked"
    {
      answer = try dechunk(answer)
    }
    return Answer(status: status, headers: fields, body: answer)
  }

  /// ``exchange(port:method:path:body:headers:timeout:)`` on a thread of its own, so
  /// that concurrent requests wait for the server together, not for a turn on the
  /// cooperative pool's few threads.
  static func fetch(
    port: Int, method: String, path: String, body: Data? = nil, headers: [String: String] = [:],
    timeout: Double = 120
  ) async throws -> Answer {
    try await withCheckedThrowingContinuation { (done: CheckedContinuation<Answer, any Error>) in
      Thread.detachNewThread {
        done.resume(
          with: Result {
            try exchange(port: port, method: method, path: path, body: body, headers: headers, timeout: timeout)
          })
      }
    }
  }

  /// The body of a chunked answer (chunk extensions ignored); throws when it does not
  /// end with its last, empty chunk.
  static func dechunk(_ data: Data) throws -> Data {
    var out = Data()
    var rest = data[...]
    while let line = rest.range(of: Data("\r\n".utf8)) {
      let sizeText = String(decoding: rest[..<line.lowerBound], as: UTF8.self)
      guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16),
        size >= 0, rest.distance(from: line.upperBound, to: rest.endIndex) >= size
      else { throw Failure(description: "a malformed chunk") }
      if size == 0 { return out }
      out.append(rest[line.upperBound..<(line.upperBound + size)])
      rest = rest[(line.upperBound + size)...].dropFirst(2)
    }
    throw Failure(description: "a chunked answer cut short (no last chunk)")
  }
}
