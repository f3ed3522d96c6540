import ArgumentParser
import RpmsgDoctorCore

struct CollectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "Print the shell script that gathers, on a board without rpmsg-doctor, everything scan reads.",
        discussion: """
        The script needs only a POSIX shell and busybox. Run it on the board as the user who has the problem; it
        writes one .tar.gz, which `scan --from`, `snapshot --from` and `udev-rule --container --from` read anywhere.

        Examples:
          rpmsg-doctor collector > rpmsg-collect.sh
          scp rpmsg-collect.sh board: && ssh board sh rpmsg-collect.sh -o board.tar.gz
          scp board:board.tar.gz . && rpmsg-doctor scan --from board.tar.gz
        """
    )

    func run() {
        print(Collector.script, terminator: "")
    }
}
