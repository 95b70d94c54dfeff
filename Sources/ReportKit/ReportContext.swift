import Foundation

/// Everything a plugin knows about the run it is asked to report on.
///
/// Plugins get the run's *logical* time (the fire time the schedule planned, even when the run
/// happens later after downtime), never "now", so that a late or repeated run says the same thing.
public struct ReportContext<Options: Sendable>: Sendable {
    /// The job's name (its file name in `schedules/`).
    public let job: String
    /// The fire time this run stands for.
    public let logicalTime: Date
    /// The job's time zone; calendar periods are aligned to it.
    public let timeZone: TimeZone
    /// The job's options, decoded.
    public let options: Options
    /// The logical time of the job's previous successful run, if any.
    public let previousSuccessfulRun: Date?
    /// The data gathered for this run.
    public let snapshot: Snapshot

    /// Creates a context; Herald does this for each run, and tests may too.
    public init(job: String, logicalTime: Date, timeZone: TimeZone, options: Options,
                previousSuccessfulRun: Date? = nil, snapshot: Snapshot) {
        self.job = job
        self.logicalTime = logicalTime
        self.timeZone = timeZone
        self.options = options
        self.previousSuccessfulRun = previousSuccessfulRun
        self.snapshot = snapshot
    }

    /// A calendar in the job's zone (weeks start on Monday) for building report windows.
    public var calendar: ReportCalendar { ReportCalendar(timeZone: timeZone) }

    /// The local calendar date of the logical time in the job's zone.
    public var localDate: LocalDate { calendar.localDate(of: logicalTime) }
}
