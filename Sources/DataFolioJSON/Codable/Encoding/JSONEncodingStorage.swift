/// A container whose contents are still being written: `Encoder` hands out nested
/// containers and super encoders that may be filled after the call that made them.
enum JSONEncodingSlot {
    case object(JSONObjectBox)
    case array(JSONArrayBox)
    /// A super encoder, read when its parent is materialized.
    case encoder(JSONValueEncoderImpl)

    func materialize() -> JSONValue {
        switch self {
        case .object(let box): return .object(box.materialize())
        case .array(let box): return .array(box.materialize())
        case .encoder(let encoder): return encoder.materialize()
        }
    }
}

/// An object under construction: keys in the order first set, each key once. Finished
/// values are stored directly; positions holding containers that are still open are
/// listed in `pending` and filled in by ``materialize()``.
final class JSONObjectBox {
    private(set) var members: [(key: String, value: JSONValue)] = []
    private var pending: [(position: Int, slot: JSONEncodingSlot)] = []
    /// Built once the object grows past a few keys; small objects are searched linearly.
    private var index: [ExactString: Int]?

    init() {
        // Most encoded types have a handful of properties: one allocation instead of
        // growing through 1, 2, 4, 8.
        members.reserveCapacity(8)
    }

    private func position(of key: String) -> Int? {
        let exact = ExactString(key)
        if let index { return index[exact] }
        return members.firstIndex { ExactString($0.key) == exact }
    }

    /// The open container stored under `key`, if any.
    func pendingSlot(for key: String) -> JSONEncodingSlot? {
        guard let position = position(of: key) else { return nil }
        return pending.first { $0.position == position }?.slot
    }

    /// Sets `key`; a key set again keeps its first position and takes the new value.
    func set(_ key: String, _ value: JSONValue) {
        if let position = position(of: key) {
            members[position].value = value
            if !pending.isEmpty { pending.removeAll { $0.position == position } }
            return
        }
        append(key, value)
    }

    /// Sets `key` to a container that is still open.
    func set(_ key: String, _ slot: JSONEncodingSlot) {
        if let position = position(of: key) {
            pending.removeAll { $0.position == position }
            pending.append((position, slot))
            return
        }
        pending.append((members.count, slot))
        append(key, .null)
    }

    private func append(_ key: String, _ value: JSONValue) {
        members.append((key, value))
        if index != nil {
            index?[ExactString(key)] = members.count - 1
        } else if members.count > 12 {
            var built = [ExactString: Int](minimumCapacity: members.count * 2)
            for (position, member) in members.enumerated() { built[ExactString(member.key)] = position }
            index = built
        }
    }

    func materialize() -> JSONObject {
        var result = members
        for (position, slot) in pending { result[position].value = slot.materialize() }
        return JSONObject(uniqueMembers: result)
    }
}

/// An array under construction, with open containers filled in by ``materialize()``.
final class JSONArrayBox {
    private(set) var elements: [JSONValue] = []
    private var pending: [(position: Int, slot: JSONEncodingSlot)] = []

    init() {}

    var count: Int { elements.count }

    func append(_ value: JSONValue) {
        elements.append(value)
    }

    func append(_ slot: JSONEncodingSlot) {
        pending.append((elements.count, slot))
        elements.append(.null)
    }

    func materialize() -> [JSONValue] {
        guard !pending.isEmpty else { return elements }
        var result = elements
        for (position, slot) in pending { result[position] = slot.materialize() }
        return result
    }
}
