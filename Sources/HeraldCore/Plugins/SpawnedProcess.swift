import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, and the parent's ends of its three standard streams.
///
/// Not Foundation's `Process`: the pool needs every descriptor close-on-exec (so one child never
/// holds another's pipes open and delays its end-of-file), the child in its own process group
/// (so a Ctrl-C meant for Herald does not kill plugin runs), default SIGPIPE handling in the
/// child, and to reap exactly its own pid.
struct SpawnedProcess: Sendable {
    let pid: pid_t
    /// Writes to the child's standard input (a socket, so writes can refuse SIGPIPE).
    let input: Int32
    /// Reads the child's standard output.
    let output: Int32
    /// Reads the child's standard error.
    let error: Int32

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    static func spawn(executable: String, arguments: [String], environment: [String: String]) throws -> SpawnedProcess {
        let input = try makeChannel(socket: true)
        let output = try makeChannel(socket: false)
        let error = try makeChannel(socket: false)
        let childEnds = [input.child, output.child, error.child]
        defer { for fd in childEnds { close(fd) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies; every other descriptor we made closes at exec.
        posix_spawn_file_actions_adddup2(&actions, input.child, 0)
        posix_spawn_file_actions_adddup2(&actions, output.child, 1)
        posix_spawn_file_actions_adddup2(&actions, error.child, 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP
        #if canImport(Darwin)
        flags |= POSIX_SPAWN_CLOEXEC_DEFAULT
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            for fd in [input.parent, output.parent, error.parent] { close(fd) }
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return SpawnedProcess(pid: pid, input: input.parent, output: output.parent, error: error.parent)
    }

    /// Makes the child close every descriptor above 2 that it would otherwise inherit.
    ///
    /// Our own descriptors are close-on-exec, but other code in Herald may open some that are not
    /// (Foundation's `Pipe` does not set close-on-exec). Measured: a plugin host that inherited the
    /// write end of another child's standard input kept that child waiting for end of file forever.
    /// glibc ≥ 2.34 has `posix_spawn_file_actions_addclosefrom_np`, which Swift cannot see in its
    /// Glibc module (it is behind `_GNU_SOURCE`), so it is looked up at run time.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        #if os(Linux)
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = closeFromSymbol else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        #endif
    }

    #if os(Linux)
    /// `nonisolated(unsafe)` is safe: written once by the lazy initialiser, then only read; the
    /// pointer is to a function in libc.
    private nonisolated(unsafe) static let closeFromSymbol: UnsafeMutableRawPointer? =
        dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np")
    #endif

    /// A connected pair of descriptors (parent's end first), both close-on-exec and numbered 3 or
    /// above (a `dup2` onto the same number would be a no-op that leaves close-on-exec set).
    private static func makeChannel(socket: Bool) throws -> (parent: Int32, child: Int32) {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        // Sockets for all three streams: socketpair takes SOCK_CLOEXEC atomically, while Glibc's
        // pipe2 is not visible to Swift, and pipe + fcntl would race with concurrent spawns.
        let result = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        #else
        let result = socket ? socketpair(AF_UNIX, SOCK_STREAM, 0, &fds) : pipe(&fds)
        #endif
        guard result == 0 else {
            throw SpawnError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for i in 0..<2 {
            if fds[i] < 3 {
                let moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3)
                close(fds[i])
                fds[i] = moved
            } else {
                _ = fcntl(fds[i], F_SETFD, FD_CLOEXEC)
            }
        }
        #if canImport(Darwin)
        if socket {
            var on: Int32 = 1
            setsockopt(fds[0], SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        #endif
        // A pipe's [0] is its read end, kept by the parent for output; a socket's ends are alike.
        return (parent: fds[0], child: fds[1])
    }

    /// Writes all of `data` to the child's standard input; false if the child no longer reads it.
    func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                #if os(Linux)
                let written = send(input, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                #else
                let written = send(input, buffer.baseAddress! + offset, buffer.count - offset, 0)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Blocks until the child ends; call once, from a thread of its own.
    func waitForExit() -> ChildTermination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        // WIFEXITED / WTERMSIG are C macros Swift cannot import.
        let low = status & 0x7f
        return low == 0 ? .exited((status >> 8) & 0xff) : .signaled(low)
    }
}

/// How a child process ended.
enum ChildTermination: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signaled(let signal): "killed by \(Self.signalName(signal))"
        }
    }

    /// `SIGILL` rather than 4: the numbers differ between platforms, the names are what people search for.
    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2",
            SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
        ]
        return names[signal] ?? "signal \(signal)"
    }
}
