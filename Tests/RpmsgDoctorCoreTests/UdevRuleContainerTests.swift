import Foundation
@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

@Suite struct UdevRuleContainerTests {
    static func snapshot(_ majors: [CharacterMajor], groupNames: [String: String] = ["990": "rpmsg"]) -> Snapshot {
        Snapshot(source: "fixture", system: SystemContext(characterMajors: majors),
                 user: UserCredentials(uid: 1000, gid: 1000, groupNames: groupNames))
    }

    static func cgroupRules(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("--device-cgroup-rule") }
    }

    @Test func before5_18OneRpmsgMajorGetsOneRule() throws {
        let text = try ContainerAdvice.text(engine: .docker, snapshot: Self.snapshot([CharacterMajor(major: 239, name: "rpmsg")]), group: "rpmsg")
        #expect(Self.cgroupRules(text) == [#"--device-cgroup-rule='c 239:* rmw' \"#])
        #expect(text.hasPrefix("# rpmsg majors in /proc/devices (fixture): 239 rpmsg\ndocker run \\\n  -v /dev:/dev \\\n"))
        #expect(text.contains("  --group-add 990 \\\n  IMAGE\n"))
    }

    @Test func from5_18TheControlAndEndpointMajorsEachGetARule() throws {
        let majors = [CharacterMajor(major: 511, name: "rpmsg_ctrl"), CharacterMajor(major: 510, name: "rpmsg_char")]
        let text = try ContainerAdvice.text(engine: .docker, snapshot: Self.snapshot(majors), group: "rpmsg")
        #expect(Self.cgroupRules(text) == [#"--device-cgroup-rule='c 511:* rmw' \"#, #"--device-cgroup-rule='c 510:* rmw' \"#])
        #expect(text.contains("511 rpmsg_ctrl, 510 rpmsg_char"))
        #expect(text.contains("# Why:"))
    }

    @Test func majorsComeFromTheBoardsProcDevices() throws {
        for (board, regions) in [(try Recipes.mainline6_1(), ["ttyRPMSG", "rpmsg_ctrl", "rpmsg_char"]), (try Recipes.mainline5_15(), ["rpmsg"])] {
            defer { board.remove() }
            let text = try ContainerAdvice.text(engine: .docker, snapshot: try Discovery.snapshot(root: board.root), group: "rpmsg")
            let expected = try regions.map { #"--device-cgroup-rule='c \#(try #require(board.major(ofRegion: $0))):* rmw' \"# }
            #expect(Self.cgroupRules(text) == expected)
        }
    }

    @Test func podmanRootlessUsesKeepGroupsAndNoCgroupRules() throws {
        let text = try ContainerAdvice.text(engine: .podman, snapshot: Self.snapshot([CharacterMajor(major: 239, name: "rpmsg")]), group: "rpmsg")
        let rootful = try #require(text.range(of: "sudo podman run \\\n"))
        let rootless = try #require(text.range(of: "\npodman run \\\n"))
        #expect(rootful.upperBound < rootless.lowerBound)
        #expect(Self.cgroupRules(String(text[rootful.upperBound..<rootless.lowerBound])) == [#"--device-cgroup-rule='c 239:* rmw' \"#])
        let rootlessCommand = text[rootless.upperBound...].prefix { $0 != "#" }
        #expect(rootlessCommand == "  -v /dev:/dev \\\n  --group-add keep-groups \\\n  IMAGE\n")
    }

    @Test func unknownGroupIdIsLookedUpOnTheHost() throws {
        let text = try ContainerAdvice.text(engine: .docker, snapshot: Self.snapshot([CharacterMajor(major: 239, name: "rpmsg")], groupNames: [:]),
                                            group: "rpmsg")
        #expect(text.contains(#"  --group-add "$(getent group rpmsg | cut -d: -f3)" \"#))
    }

    @Test func noRpmsgMajorIsAnErrorThatSaysWhatToLoad() {
        let error = #expect(throws: ContainerAdviceError.self) {
            try ContainerAdvice.text(engine: .docker, snapshot: Self.snapshot([]), group: "rpmsg")
        }
        #expect(error?.description.contains("load rpmsg_char") == true)
    }
}
