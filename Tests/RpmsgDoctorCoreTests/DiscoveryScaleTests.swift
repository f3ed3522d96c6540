@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// The benchmark board: many virtio devices, channels and endpoints, all mapped right.
@Suite struct DiscoveryScaleTests {
    @Test func everyEndpointMapsToTheControlOfItsVirtio() throws {
        let snapshot = try scan { try Recipes.benchmark(virtioCount: 4, channelsPerVirtio: 25, node: .absent) }
        #expect(snapshot.virtioDevices.count == 4)
        #expect(snapshot.controlDevices.count == 4)
        #expect(snapshot.channels.filter { $0.role == .announced }.count == 100)
        #expect(snapshot.endpointDevices.count == 100)
        let controlOfVirtio = Dictionary(uniqueKeysWithValues: snapshot.controlDevices.map { ($0.virtio ?? "", $0.name) })
        for endpoint in snapshot.endpointDevices {
            #expect(endpoint.control == controlOfVirtio[endpoint.virtio ?? "?"])
        }
        #expect(snapshot.unreadable.isEmpty)
    }
}
