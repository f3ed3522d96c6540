/// Fix wordings of the codes watch raises and of the probe's comparison with a tty (the rest are in Remedy.swift).
extension Remedy {
    // MARK: RD410
    static let announceOnEveryStart = Remedy(
        "Make the firmware announce its channels every time it starts, once its vrings are set up (RPMsg-Lite rpmsg_ns_announce, OpenAMP rpmsg_create_ept with a name), and restart it through remoteproc (stop, then start) so both sides begin with fresh vrings: a remote that restarts on its own keeps the vring state of its previous life and often stays silent.",
        commands: [ShellCommand("dmesg").pipe("grep", "-iE", "rpmsg|remoteproc|virtio").pipe("tail")]
    )

    // MARK: RD411
    static func findChannelByName(_ name: String) -> Remedy {
        Remedy("An application that kept the old address sends into nothing: look the channel up by name each time it is announced (its dst attribute in /sys/bus/rpmsg/devices), or give the firmware's endpoint a fixed address.",
               commands: [ShellCommand("rpmsg-doctor", "scan", "--service", name)])
    }

    // MARK: RD509
    static func reopenEndpoints(_ holders: [ProcessReference]) -> Remedy {
        Remedy("Close these endpoints (or destroy them with RPMSG_DESTROY_EPT_IOCTL) and create them again once the channel is announced anew: until then the remote drops what is written to them, and write() still succeeds. An application should watch for its channel's removal (a udev remove event on the rpmsg bus) and reconnect.",
               commands: holders.map { ShellCommand("ps", "-o", "pid,user,args", "-p", String($0.pid)) })
    }

    // MARK: RD510
    static func fixEndpointPath(tty: String, scanArguments: [String]) -> Remedy {
        Remedy("The remote and its channel work: what fails is the endpoint path. Check the control device (it must be the one on the channel's virtio device), the dst and src of RPMSG_CREATE_EPT_IOCTL, and that nothing else holds the endpoint; or talk to the remote through \(tty), as the channel's tty driver does.",
               commands: [ShellCommand(["rpmsg-doctor", "scan"] + scanArguments)])
    }
}
