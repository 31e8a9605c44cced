/// Injected faults waiting for requests, in the order they were added.
struct FaultQueue: Sendable {
    private var pending: [Fault] = []

    var isEmpty: Bool { pending.isEmpty }

    mutating func add(_ fault: Fault) { pending.append(fault) }

    mutating func clear() { pending.removeAll() }

    /// The first fault that applies to this request, with one of its uses spent.
    mutating func take(kind: Fault.RequestKind, listing: String?, page: Int?) -> Fault? {
        guard
            let index = pending.firstIndex(where: {
                $0.applies(to: kind, listing: listing, page: page)
            })
        else { return nil }
        let fault = pending[index]
        if fault.count > 0 {  // 0: until cleared
            pending[index].count -= 1
            if pending[index].count == 0 { pending.remove(at: index) }
        }
        return fault
    }
}
