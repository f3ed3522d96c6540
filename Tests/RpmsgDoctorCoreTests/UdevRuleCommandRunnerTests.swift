import Foundation
@testable import RpmsgDoctorCore
import Testing

@Suite struct UdevRuleCommandRunnerTests {
    @Test func statusAndBothOutputStreamsAreKept() throws {
        let result = try #require(ProcessRunner().run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]))
        #expect(result.status == 3)
        #expect(!result.timedOut && !result.succeeded)
        #expect(result.output.contains("out\n") && result.output.contains("err\n"))
    }

    @Test func aProgramThatOutlivesItsTimeoutIsKilled() throws {
        let started = Date()
        let result = try #require(ProcessRunner(timeoutSeconds: 0.3).run("/bin/sh", ["-c", "trap '' TERM; sleep 20"]))
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(Date().timeIntervalSince(started) < 10, "ignored SIGTERM, so SIGKILL must have ended it")
    }

    @Test func largeOutputDoesNotStallTheProgram() throws {
        let result = try #require(ProcessRunner(timeoutSeconds: 20).run("/bin/sh", ["-c", "head -c 1000000 /dev/zero | tr '\\0' x"]))
        #expect(result.succeeded)
        #expect(result.output.utf8.count == 1_000_000)
    }

    @Test func aProgramThatClosesItsOutputBeforeItEndsIsWaitedForNotStopped() throws {
        let result = try #require(ProcessRunner(timeoutSeconds: 20).run("/bin/sh", ["-c", "echo done; exec >&- 2>&-; sleep 0.3; exit 5"]))
        #expect(result.status == 5 && !result.timedOut, "its own status, not SIGTERM's 143")
        #expect(result.output == "done\n")
    }

    @Test func aProgramThatClosesItsOutputAndHangsStillTimesOut() throws {
        let result = try #require(ProcessRunner(timeoutSeconds: 0.3).run("/bin/sh", ["-c", "exec >&- 2>&-; trap '' TERM; sleep 20"]))
        #expect(result.timedOut && !result.succeeded)
    }

    @Test func aMissingProgramCannotBeStarted() {
        #expect(ProcessRunner().run("/nonexistent/udevadm", ["control", "--reload"]) == nil)
    }

    @Test func executablesAreFoundInPathOrTheSystemDirectories() {
        #expect(ExecutableSearch.find("sh", path: "/nonexistent") != nil, "/bin is searched after PATH")
        #expect(ExecutableSearch.find("rpmsg-doctor-no-such-program", path: "/usr/bin") == nil)
    }
}
