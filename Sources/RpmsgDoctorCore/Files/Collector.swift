/// scripts/rpmsg-collect.sh, built into the binary: `rpmsg-doctor collector > rpmsg-collect.sh` gives a board
/// without rpmsg-doctor the script that gathers what a scan reads.
public enum Collector {
    public static var script: String { CollectorScript.text["rpmsg-collect"] ?? "" }
}
