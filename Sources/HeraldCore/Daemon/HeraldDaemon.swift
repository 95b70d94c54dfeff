import Channels
import Foundation
import Logging
import Scheduling
import ServiceLifecycle
import Store
import UnixSignals

/// `herald run`: the scheduler, the executor and the plugin pool as one service.
///
/// SIGTERM and SIGINT stop firing, let running jobs finish for `daemon.shutdown_grace`, record what
/// had to be interrupted (resumed at the next start) and return. SIGHUP reloads the configuration:
/// an invalid one is rejected with `herald check`'s errors and the running one stays.
public struct HeraldDaemon: Service {
    let runtime: HeraldRuntime
    let configPath: String
    let clock: any SchedulerClock

    /// Creates the daemon over a loaded configuration; SIGHUP reads `configPath` again.
    public init(runtime: HeraldRuntime, configPath: String, clock: any SchedulerClock = WallClock()) {
        self.runtime = runtime
        self.configPath = configPath
        self.clock = clock
    }

    /// Runs the daemon as the process's main service, with signal handling.
    public static func main(runtime: HeraldRuntime, configPath: String) async throws {
        let daemon = HeraldDaemon(runtime: runtime, configPath: configPath)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: daemon)], gracefulShutdownSignals: [.sigterm, .sigint], logger: runtime.logger))
        try await group.run()
    }

    public func run() async throws {
        let started = ContinuousClock.now
        let logger = runtime.logger
        let configuration = runtime.configuration
        try FileManager.default.createDirectory(at: configuration.statePath.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let store = try SQLiteStore(path: configuration.statePath.path)
        let owner = OwnerID.current
        try await runtime.withPluginPool { pool in
            try await runtime.withDispatcher(store: store, owner: owner) { dispatcher in
                let executor = RunExecutor(
                    store: store, owner: owner, clock: clock,
                    work: DigestRunWork(configuration: configuration, pool: pool, logger: logger),
                    maxConcurrentRuns: configuration.daemon.maxConcurrentRuns, logger: logger)
                await executor.whenDeliveriesQueued { dispatcher.wake() }
                let scheduler = JobScheduler(jobs: configuration.jobs, clock: clock, store: store, executor: executor,
                                             logger: logger)
                try await dispatcher.recover()
                let sending = Task { await dispatcher.run(grace: .seconds(configuration.daemon.shutdownGrace)) }
                try await Recovery(store: store, owner: owner, executor: executor, logger: logger)
                    .resumeUnfinished(jobs: configuration.jobs, at: clock.now())
                await scheduler.catchUp()
                // Trapped before `ready` is announced: until then SIGHUP's default action would end the process.
                let reloads = await UnixSignalsSequence(trapping: .sighup)
                await Self.announce(configuration: configuration, plan: await scheduler.plan(), logger: logger)
                // Plain arithmetic: `Duration.formatted` loads ICU's number and unit formatters (idle RSS, BENCHMARKS.md).
                let readyMs = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
                logger.notice("ready in \(readyMs) ms",
                              metadata: ["state": "\(configuration.statePath.path)", "owner": "\(owner)"])
                // The code only start-up used leaves the resident set now; what a run used, once no run has started or
                // finished for 30 s (its deliveries usually go within seconds, and a job firing every few seconds keeps
                // its pages).
                let quiet = QuietPeriod(.seconds(30)) {
                    if await executor.isIdle { ExecutablePages.release() }
                }
                ExecutablePages.release()
                await executor.whenIdle { quiet.restart() }
                defer { quiet.cancel() }
                let reloader = Reloader(configPath: configPath, pool: pool, executor: executor, scheduler: scheduler,
                                        dispatcher: dispatcher, logger: logger)
                await withGracefulShutdownHandler {
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await scheduler.run() }
                        group.addTask {
                            for await _ in reloads {
                                await reloader.reload()
                            }
                        }
                        await group.next()
                        group.cancelAll()
                    }
                } onGracefulShutdown: {
                    Task { await scheduler.stop() }
                }
                logger.notice("stopping: no new fires; waiting up to \(Int(configuration.daemon.shutdownGrace))s for running jobs and sends")
                await executor.drain(grace: .seconds(configuration.daemon.shutdownGrace))
                // Runs that finished while draining have queued their deliveries: the dispatcher sends what it
                // can in its own grace period, then records the rest as its channels allow.
                sending.cancel()
                await sending.value
            }
        }
        try store.close()
        logger.notice("stopped")
    }

    /// What a newcomer needs at start: each job, when it fires next, and where its output goes.
    static func announce(configuration: HeraldConfiguration, plan: [(job: JobDefinition, next: Date?)], logger: Logger) async {
        for (job, next) in plan {
            let targets = job.destinations.map { name -> String in
                guard let channel = configuration.destination(named: name)?.channel else { return name }
                if let outbox = channel as? FileChannel { return "\(name) (\(outbox.folder.path))" }
                let scheme = channel.settings.url.split(separator: ":").first.map(String.init) ?? "?"
                return "\(name) (\(scheme), \(max(1, channel.recipients.count)) recipient(s))"
            }
            let when = next.map { RFC3339.format($0, in: job.timeZone) } ?? "never"
            logger.notice("job \(job.name): \(job.plugin) at \"\(job.schedule)\" \(job.timeZoneName); next \(when) -> \(targets.joined(separator: ", "))")
        }
        if plan.isEmpty { logger.warning("no jobs: add one to \(configuration.schedulesDirectory.path)") }
    }
}
