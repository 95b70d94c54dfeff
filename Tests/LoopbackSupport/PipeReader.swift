import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads what a child process writes to a pipe, on a thread of its own with blocking reads, until end of file.
///
/// Not `FileHandle.readabilityHandler`: its dispatch source can still be registered with the manager thread when
/// the handle closes its descriptor (it does on deallocation, and a handler left in place spins at end of file),
/// a race that crashed the whole test process with SIGSEGV in libdispatch. Here the descriptor stays open, and
/// the pipe alive, until this thread has read end of file.
public enum PipeReader {
    /// Calls `received` with each chunk as it arrives, then `ended` once, at end of file or on a read error.
    public static func start(_ pipe: Pipe, received: @escaping @Sendable (Data) -> Void,
                             ended: @escaping @Sendable () -> Void) {
        let handle = Handle(pipe)
        let thread = Thread {
            let descriptor = handle.pipe.fileHandleForReading.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    received(Data(buffer[..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            ended()
            try? handle.pipe.fileHandleForReading.close()
        }
        thread.name = "pipe reader"
        thread.start()
    }

    /// `@unchecked Sendable` is safe: only the reader thread uses the pipe's read end once reading has started
    /// (the process that was given the pipe uses only its write end, and only while spawning).
    private final class Handle: @unchecked Sendable {
        let pipe: Pipe
        init(_ pipe: Pipe) { self.pipe = pipe }
    }
}
