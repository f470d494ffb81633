import Testing

@testable import LineageServer

/// A compressed body is taken only when its stream ends where the body does, with the
/// checksum of what it decompressed to.
@Suite struct CompressedBodyTests {
  @Test func checksumsAreThoseOfGzipAndZlib() {
    #expect(CompressedBody.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CompressedBody.crc32([]) == 0)
    #expect(CompressedBody.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    #expect(CompressedBody.adler32([]) == 1)
    // Past the run between reductions (5,552 bytes of 0xFF).
    let long = [UInt8](repeating: 0xFF, count: 100_000)
    var (a, b): (UInt64, UInt64) = (1, 0)
    for x in long {
      a = (a + UInt64(x)) % 65_521
      b = (b + a) % 65_521
    }
    #expect(CompressedBody.adler32(long) == UInt32(b << 16 | a))
  }

  @Test func aBodyIsWholeOnlyWithItsTrailer() {
    // `printf 'hello' | gzip -n`: header, deflate data, CRC-32, length.
    let gz: [UInt8] = [
      0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x86,
      0xA6, 0x10, 0x36, 0x05, 0x00, 0x00, 0x00,
    ]
    let hello = Array("hello".utf8)
    #expect(CompressedBody.isWhole(gz, plain: hello, gzip: true))
    #expect(!CompressedBody.isWhole(Array(gz.dropLast(8)), plain: hello, gzip: true))
    #expect(!CompressedBody.isWhole(gz, plain: Array("hellp".utf8), gzip: true))
    #expect(!CompressedBody.isWhole(Array(gz.prefix(10)), plain: [], gzip: true))
    // `zlib.compress(b'hello')`: header, deflate data, Adler-32.
    let z: [UInt8] = [0x78, 0x9C, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x06, 0x2C, 0x02, 0x15]
    #expect(CompressedBody.isWhole(z, plain: hello, gzip: false))
    #expect(!CompressedBody.isWhole(Array(z.dropLast(4)), plain: hello, gzip: false))
    // Raw deflate (`zlib.compressobj(wbits=-15)`) has no header; a zlib stream has one.
    #expect(CompressedBody.hasZlibHeader(z))
    #expect(!CompressedBody.hasZlibHeader([0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]))
    #expect(!CompressedBody.hasZlibHeader([0x78]))
  }
}
