import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Python script started by a test as a child process: its standard output arrives line by line in
/// ``output``, and its standard input stays open, so a script that exits when its stdin closes never
/// outlives the test.
public struct ScriptProcess: Sendable {
    /// The running process.
    public let process: Process
    /// Its standard output, line by line.
    public let output: LineBuffer
    /// Its standard input; closing it (or this process ending) tells the script to exit.
    public let stdin: Pipe

    /// Starts `python3 script arguments…`.
    public init(python script: String, _ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let pipe = Pipe()
        stdin = Pipe()
        process.standardOutput = pipe
        process.standardInput = stdin
        let output = LineBuffer()
        self.output = output
        try process.run()
        PipeReader.start(pipe, received: { output.append($0) }, ended: { output.close() })
    }

    /// Ends the script at once (SIGKILL cannot be caught or blocked, so stopping never hangs) and reaps it.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
