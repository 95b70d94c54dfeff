import Foundation
import Testing

/// The CLI contracts of DESIGN.md, run as a user runs them.
@Suite struct CommandLineTests {
    @Test func scheduleNextPrintsOnlyRFC3339LinesWithTheZoneOffset() async throws {
        let (status, output) = try await HeraldProcess.run(
            ["schedule", "next", "30 1 * * *", "--tz", "Europe/London", "--after", "2026-03-28T12:00:00Z", "--count", "3"],
            in: URL(fileURLWithPath: "/"))
        #expect(status == 0)
        #expect(output == "2026-03-29T02:00:00+01:00\n2026-03-30T01:30:00+01:00\n2026-03-31T01:30:00+01:00\n")
    }

    @Test func scheduleNextRejectsABadExpressionNamingTheField() async throws {
        let (status, output) = try await HeraldProcess.run(["schedule", "next", "0 25 * * *"], in: URL(fileURLWithPath: "/"))
        #expect(status != 0)
        #expect(output.contains("hour"))
        #expect(output.contains("25"))
    }

    @Test func checkReportsEveryProblemWithItsPosition() async throws {
        let home = try TestHome(jobs: [
            "a": "plugin: healthy\nschedule: \"0 9 * * MON\"\ndestinations: [outbox]\nopitons: {}\n",
            "b": "plugin: nosuch\nschedule: \"0 9 * * MON\"\ndestinations: [outbox]\n",
            "c": "plugin: healthy\nschedule: \"0 9 31 2 FRI#6\"\ndestinations: [outbx]\ncatch_up: sometimes\n",
        ], extraConfig: "sources:\n  missing: { path: etc/data/none.yaml }\n")
        try home.write(try String(contentsOfFile: home.config, encoding: .utf8) + "destinatons: {}\n", to: "etc/herald.yaml")
        let (status, output) = try await HeraldProcess.run(["check", "--config", "etc/herald.yaml"], in: home.url)
        #expect(status == 1)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("etc/herald.yaml:8:20: error: source 'missing': file etc/data/none.yaml does not exist") })
        #expect(lines.contains { $0.hasPrefix("etc/herald.yaml:9:1: error: unknown key 'destinatons'") && $0.contains("did you mean 'destinations'") })
        #expect(lines.contains { $0.hasPrefix("schedules/a.yaml:4:1: error: unknown key 'opitons'") && $0.contains("'options'") })
        #expect(lines.contains { $0.hasPrefix("schedules/c.yaml:2:") && $0.contains("error: invalid schedule") })
        #expect(lines.contains { $0.hasPrefix("schedules/c.yaml:3:16: error: unknown destination 'outbx'") && $0.contains("'outbox'") })
        #expect(lines.contains { $0.hasPrefix("schedules/c.yaml:4:11: error: catch_up must be skip, latest or all") })
        #expect(output.contains("error(s)"))
    }

    @Test func checkNamesAnUnknownPluginAndBadOptions() async throws {
        let home = try TestHome(jobs: [
            "b": "plugin: nosuch\nschedule: \"0 9 * * MON\"\ndestinations: [outbox]\n",
            "d": "plugin: healthy\nschedule: \"0 9 * * MON\"\ndestinations: [outbox]\noptions: { sleepMilliseconds: soon }\n",
        ])
        let (status, output) = try await HeraldProcess.run(["check", "--config", "etc/herald.yaml"], in: home.url)
        #expect(status == 1)
        #expect(output.contains("schedules/b.yaml:1:9: error: unknown plugin 'nosuch' (available:"))
        #expect(output.contains("schedules/d.yaml:4:10: error: options for 'healthy':"))
    }

    @Test func secretsFromTheEnvironmentNeverAppearInErrors() async throws {
        let home = try TestHome(jobs: [:], extraConfig: """
            sources:
              s: { path: "etc/${env:HERALD_TEST_SECRET}.yaml" }
            """)
        let (status, output) = try await HeraldProcess.run(
            ["check", "--config", "etc/herald.yaml"], in: home.url, environment: ["HERALD_TEST_SECRET": "hunter2-token"])
        #expect(status == 1)
        #expect(!output.contains("hunter2-token"))
        #expect(output.contains("****"))
    }

    @Test func triggerDeliversOnceAndATriggerOfTheSameLogicalTimeDoesNotRunAgain() async throws {
        let home = try TestHome(jobs: ["echo": "plugin: healthy\nschedule: \"@daily\"\noptions: { echo: hello }\ndestinations: [outbox]\n"])
        let (first, out1) = try await HeraldProcess.run(["trigger", "echo", "--at", "2014-03-03T09:00:00Z"], in: home.url)
        #expect(first == 0, "\(out1)")
        #expect(out1.contains("succeeded"))
        #expect(home.outbox("echo") == ["2014-03-03T090000Z--outbox.txt"])
        let (second, out2) = try await HeraldProcess.run(["trigger", "echo", "--at", "2014-03-03T09:00:00Z"], in: home.url)
        #expect(second == 0)
        #expect(out2.contains("already ran"))
        #expect(home.outbox("echo").count == 1)
    }

    @Test func previewOfAnEmptyDigestSaysSoAndWritesNothing() async throws {
        let home = try TestHome(jobs: ["weekly": """
            plugin: anniversaries
            schedule: "0 9 * * MON"
            destinations: [outbox]
            """], pluginHost: "herald-plugins")
        let (status, output) = try await HeraldProcess.run(["preview", "weekly", "--at", "2026-11-23T09:00:00Z"], in: home.url)
        #expect(status == 0)
        #expect(output.contains("empty digest"))
        #expect(home.outbox("weekly").isEmpty)
        let (triggered, out) = try await HeraldProcess.run(["trigger", "weekly", "--at", "2026-11-23T09:00:00Z"], in: home.url)
        #expect(triggered == 0)
        #expect(out.contains("empty"))
        #expect(home.outbox("weekly").isEmpty)
    }
}
