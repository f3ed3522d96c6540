import ArgumentParser
import RpmsgDoctorCore

/// What an application passes to RPMSG_CREATE_EPT_IOCTL, or the announced service it wants: shared by scan and probe.
struct EndpointArguments: ParsableArguments {
    @Option(help: ArgumentHelp("A channel the remote announced, by name: its virtio device's ctrl and address are used.", valueName: "NAME"))
    var service: String?

    @Option(name: .customLong("ctrl"), help: ArgumentHelp("The control device the application opens, e.g. /dev/rpmsg_ctrl0.", valueName: "DEVICE"))
    var control: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The remote address to send to (0x1e or 30; ANY or -1 for RPMSG_ADDR_ANY).", valueName: "ADDR"))
    var dst: AddressArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("The local address to ask for (default ANY or -1: the kernel picks one of 1024 or above).", valueName: "ADDR"))
    var src: AddressArgument?

    @Option(help: ArgumentHelp("The endpoint name given to RPMSG_CREATE_EPT_IOCTL.", valueName: "NAME"))
    var name: String?

    var intent: Intent {
        Intent(control: control, dst: dst?.address, src: src?.address, name: name, service: service)
    }
}

struct AddressArgument: ExpressibleByArgument {
    var address: RpmsgAddress

    init?(argument: String) {
        if ["any", "ANY", "-1"].contains(argument) {
            address = .any
        } else if let parsed = RpmsgAddress(parsing: argument), !argument.hasPrefix("-") {
            address = parsed
        } else {
            return nil
        }
    }
}
