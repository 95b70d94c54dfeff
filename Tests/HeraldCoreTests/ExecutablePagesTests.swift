import Testing
@testable import HeraldCore

@Suite struct ExecutablePagesTests {
    @Test func onlyCleanReadOnlyMappingsAreReleasable() {
        let smaps = """
        55d0a0000000-55d0a0200000 r--p 00000000 fe:01 42                         /opt/herald/bin/herald
        Size:               2048 kB
        Rss:                 512 kB
        Anonymous:             0 kB
        55d0a0200000-55d0a0900000 r-xp 00200000 fe:01 42                         /opt/herald/bin/herald
        Rss:                6144 kB
        Anonymous:             0 kB
        55d0a0900000-55d0a0a00000 r--p 00900000 fe:01 42                         /opt/herald/bin/herald
        Rss:                 640 kB
        Anonymous:           640 kB
        55d0a0a00000-55d0a0a10000 rw-p 00a00000 fe:01 42                         /opt/herald/bin/herald
        Rss:                  64 kB
        Anonymous:            12 kB
        7f0000000000-7f0000100000 rw-p 00000000 00:00 0
        Rss:                1024 kB
        Anonymous:          1024 kB
        """
        let mappings = ExecutablePages.mappings(in: smaps)
        #expect(mappings.count == 5)
        #expect(mappings.map(\.residentKiB) == [512, 6144, 640, 64, 1024])
        #expect(mappings.map(\.path) == Array(repeating: "/opt/herald/bin/herald", count: 4) + [""])
        // Read-only data and code are released; the RELRO segment (written by the loader) and writable data are not.
        #expect(mappings.map(\.isReleasable) == [true, true, false, false, false])
        #expect(mappings[1].start == 0x55d0_a020_0000 && mappings[1].end == 0x55d0_a090_0000)
    }

    /// In this very process (other tests running on other threads): its executable's clean pages leave the
    /// resident set, and the code that runs next comes back from the page cache.
    @Test func releasingShrinksTheExecutablesResidentPagesAndTheProcessCarriesOn() throws {
        func executableResidentKiB() throws -> Int {
            try #require(ExecutablePages.releasableMappings()).reduce(0) { $0 + $1.residentKiB }
        }
        let before = try executableResidentKiB()
        #expect(before > 0)
        let released = try #require(ExecutablePages.release())
        #expect(released >= before / 2)
        let after = try executableResidentKiB()
        #expect(after < before, "resident KiB before \(before), after \(after)")
    }
}
