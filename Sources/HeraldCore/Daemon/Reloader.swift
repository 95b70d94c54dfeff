import Foundation
import Logging
import PluginHost

/// SIGHUP: reads the configuration again; applies it only if `herald check` would pass it.
actor Reloader {
    let configPath: String
    let pool: PluginPool
    let executor: RunExecutor
    let scheduler: JobScheduler
    let dispatcher: Dispatcher
    let logger: Logger

    init(configPath: String, pool: PluginPool, executor: RunExecutor, scheduler: JobScheduler, dispatcher: Dispatcher,
         logger: Logger) {
        self.dispatcher = dispatcher
        self.configPath = configPath
        self.pool = pool
        self.executor = executor
        self.scheduler = scheduler
        self.logger = logger
    }

    private var reloading = false
    private var pending = false

    /// Reloads; a SIGHUP that arrives during a reload is folded into one more reload after it, so
    /// two reloads never interleave and the last signal always sees the latest files.
    func reload() async {
        guard !reloading else {
            pending = true
            return
        }
        reloading = true
        repeat {
            pending = false
            await reloadOnce()
        } while pending
        reloading = false
    }

    private func reloadOnce() async {
        logger.notice("SIGHUP: reloading \(configPath)")
        let configuration: HeraldConfiguration
        do {
            (configuration, _) = try ConfigurationLoader().load(URL(fileURLWithPath: configPath))
        } catch {
            for diagnostic in error.diagnostics { logger.error("\(diagnostic)") }
            logger.error("reload rejected: \(error.diagnostics.filter { $0.severity == .error }.count) error(s); the running configuration stays")
            return
        }
        Secrets.shared.add(configuration.secrets)
        let available = Set(((try? await pool.plugins()) ?? []).map(\.name))
        let unknown = configuration.jobs.filter { !available.contains($0.plugin) }
        guard unknown.isEmpty else {
            for job in unknown {
                logger.error("\(job.pluginPosition): error: unknown plugin '\(job.plugin)'")
            }
            logger.error("reload rejected; the running configuration stays")
            return
        }
        await executor.replaceWork(DigestRunWork(configuration: configuration, pool: pool, logger: logger))
        await dispatcher.replaceConfiguration(configuration)
        await scheduler.update(jobs: configuration.jobs)
        let plan = await scheduler.plan()
        await HeraldDaemon.announce(configuration: configuration, plan: plan, logger: logger)
        logger.notice("reloaded: \(configuration.jobs.count) jobs")
    }
}
