import RpmsgDoctorCore

/// Boards a scan must survive: `Recipes.mainline6_1` with parts broken as the doc comments say.
public enum BrokenRecipes {
    /// Channel names the name service passes through unchecked: quotes, a newline, terminal escapes, bytes
    /// that are not UTF-8, a slash (the device name shows it as '!'), and a full 32-byte name with no room
    /// for the NUL (the kernel keeps its first 31 bytes).
    public static let hostileNames: [[UInt8]] = [
        Array("say \"hi\" 'there'".utf8),
        Array("slash/and space".utf8),
        Array("two\nlines".utf8),
        Array("\u{1b}[31mred\u{1b}[0m".utf8),
        Array("bad".utf8) + [0xFF, 0xFE],
        Array("abcdefghijklmnopqrstuvwxyz012345".utf8),
    ]

    /// - `virtio0.rpmsg-raw.-1.30`: `src` reads "garbage", `dst` is empty.
    /// - `virtio1.app-channel.-1.40`: no `name` attribute.
    /// - virtio1: no `features` attribute.
    /// - rpmsg1: `src` reads "garbage".
    public static func malformedAttributes() throws -> Board {
        try breaking { board in
            let raw = try board.existing("virtio0.rpmsg-raw.-1.30").path
            try board.tree.write(raw + "src", "garbage\n")
            try board.tree.write(raw + "dst", bytes: [])
            board.tree.remove(try board.existing("virtio1.app-channel.-1.40").path + "name")
            board.tree.remove(try board.existing("virtio1").path + "features")
            try board.tree.write(try board.existing("rpmsg1").path + "src", "garbage\n")
        }
    }

    /// `/sys/class/rpmsg/rpmsg8` and `rpmsg9` point at each other.
    public static func classSymlinkLoop() throws -> Board {
        try breaking { board in
            try board.tree.linkVerbatim(SysPath("/sys/class/rpmsg/rpmsg8"), target: Array("rpmsg9".utf8))
            try board.tree.linkVerbatim(SysPath("/sys/class/rpmsg/rpmsg9"), target: Array("rpmsg8".utf8))
        }
    }

    /// rpmsg1's device directory is gone while `/sys/class/rpmsg/rpmsg1` (and /dev/rpmsg1) remain.
    public static func danglingClassLink() throws -> Board {
        try breaking { board in board.tree.remove(try board.existing("rpmsg1").path) }
    }

    /// `virtio0.NAME.-1.(60+i)` for each of `hostileNames`, unbound, and endpoints rpmsg2, rpmsg3, ...
    /// with those names made through virtio0's ctrl (rpmsg_ctrl0).
    public static func hostileChannelNames() throws -> Board {
        try breaking { board in
            let virtio0 = try board.existing("virtio0")
            let control0 = try board.existing("rpmsg_ctrl0")
            for (offset, name) in hostileNames.enumerated() {
                let address = RpmsgAddress(UInt32(60 + offset))
                _ = try board.addChannel(on: virtio0, name: name, dst: address)
                _ = try board.addEndpoint(under: control0, name: name, src: .any, dst: address)
            }
        }
    }

    private static func breaking(_ damage: (Board) throws -> Void) throws -> Board {
        let board = try Recipes.mainline6_1()
        do {
            try damage(board)
        } catch {
            board.remove()
            throw error
        }
        return board
    }
}
