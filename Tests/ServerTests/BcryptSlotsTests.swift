import Synchronization
import Testing

@testable import Server

@Suite("Bcrypt slots: how many run at once, how many wait, and who goes next")
struct BcryptSlotsTests {
    /// Records the order in which waiters got their slot.
    final class Order: Sendable {
        private let served = Mutex<[String]>([])
        func append(_ name: String) { served.withLock { $0.append(name) } }
        var names: [String] { served.withLock { $0 } }
    }

    /// Gives started tasks time to run as far as they can; used where nothing observable should happen.
    private static func settle() async {
        try? await Task.sleep(for: .milliseconds(20))
    }

    /// Waits until `count` callers of `key` are queued.
    private static func queued(_ slots: BcryptSlots, key: String, count: Int) async {
        while slots.waitingCount(for: key) < count { await Task.yield() }
    }

    /// Takes a slot for `key` in a task of its own and keeps it until the returned closure is called.
    private static func holdSlot(_ slots: BcryptSlots, key: String, group: inout TaskGroup<Void>) async -> @Sendable () -> Void {
        let (released, release) = AsyncStream<Void>.makeStream()
        let (holding, held) = AsyncStream<Void>.makeStream()
        group.addTask {
            guard let permit = await slots.acquire(for: key, bounded: false) else { return }
            held.finish()
            for await _ in released {}
            _ = consume permit
        }
        for await _ in holding {}
        return { release.finish() }
    }

    /// Starts a task that waits for a slot for `key` (bounded) and records `name` when served ("refused" if
    /// not); returns once it is queued or refused.
    private static func wait(_ slots: BcryptSlots, key: String, name: String, order: Order, group: inout TaskGroup<Void>) async {
        let before = slots.waitingCount(for: key)
        let refusals = order.names.count
        group.addTask {
            guard let permit = await slots.acquire(for: key, bounded: true) else { return order.append("\(name) refused") }
            order.append(name)
            _ = consume permit
        }
        while slots.waitingCount(for: key) == before && order.names.count == refusals { await Task.yield() }
    }

    @Test("with every slot taken, an address may queue maxWaiting sign-ins; one more is refused at once")
    func boundedPerAddress() async {
        let slots = BcryptSlots(concurrency: 1, maxWaiting: 2)
        let order = Order()
        await withTaskGroup(of: Void.self) { group in
            let release = await Self.holdSlot(slots, key: "address a", group: &group)
            await Self.wait(slots, key: "address a", name: "a1", order: order, group: &group)
            await Self.wait(slots, key: "address a", name: "a2", order: order, group: &group)
            await Self.wait(slots, key: "address a", name: "a3", order: order, group: &group)
            #expect(order.names == ["a3 refused"], "a third from the same address is refused at once, the others wait")
            // Another address still gets a place in line.
            await Self.wait(slots, key: "address b", name: "b1", order: order, group: &group)
            release()
        }
        // The busy address does not keep the other one waiting behind its whole queue.
        #expect(order.names == ["a3 refused", "a1", "b1", "a2"])
    }

    @Test("a freed slot goes to the addresses in turn, each in arrival order")
    func roundRobin() async {
        let slots = BcryptSlots(concurrency: 1, maxWaiting: 10)
        let order = Order()
        await withTaskGroup(of: Void.self) { group in
            let release = await Self.holdSlot(slots, key: "address flood", group: &group)
            for index in 1...4 {
                await Self.wait(slots, key: "address flood", name: "flood\(index)", order: order, group: &group)
            }
            await Self.wait(slots, key: "address real", name: "real", order: order, group: &group)
            await Self.wait(slots, key: "address other", name: "other", order: order, group: &group)
            #expect(order.names.isEmpty)
            release()
        }
        #expect(order.names == ["flood1", "real", "other", "flood2", "flood3", "flood4"])
    }

    @Test("as many run at once as there are slots; unbounded callers (setting passwords) always get a place")
    func concurrencyAndUnbounded() async {
        let slots = BcryptSlots(concurrency: 2, maxWaiting: 0)
        let order = Order()
        await withTaskGroup(of: Void.self) { group in
            let releaseFirst = await Self.holdSlot(slots, key: "address a", group: &group)
            let releaseSecond = await Self.holdSlot(slots, key: "address b", group: &group)
            await Self.wait(slots, key: "address c", name: "c", order: order, group: &group)
            #expect(order.names == ["c refused"], "both slots are taken and no one may wait")
            group.addTask {
                guard let permit = await slots.acquire(for: "setting passwords", bounded: false) else { return order.append("refused") }
                order.append("password set")
                _ = consume permit
            }
            await Self.queued(slots, key: "setting passwords", count: 1)
            await Self.settle()
            #expect(order.names == ["c refused"], "waiting while both slots are held")
            releaseFirst()
            while order.names.count < 2 { await Task.yield() }
            #expect(order.names == ["c refused", "password set"])
            releaseSecond()
        }
    }
}
