/// The value an encoder is building. Containers handed out by `Encoder` may be written
/// to after the call that made them returns, so objects and arrays under construction
/// are reference boxes; they become plain ``JSONValue``s once encoding is done.
enum JSONEncodingSlot {
    case value(JSONValue)
    case object(JSONObjectBox)
    case array(JSONArrayBox)
    /// A super encoder whose value is read when the parent is materialized.
    case encoder(JSONValueEncoderImpl)

    func materialize() -> JSONValue {
        switch self {
        case .value(let value): return value
        case .object(let box): return .object(box.materialize())
        case .array(let box): return .array(box.elements.map { $0.materialize() })
        case .encoder(let encoder): return encoder.storage?.materialize() ?? .object(JSONObject())
        }
    }
}

/// An object under construction: keys in the order first set, each key once.
final class JSONObjectBox {
    private(set) var keys: [String] = []
    private(set) var slots: [JSONEncodingSlot] = []
    /// Built once the object grows past a few keys; small objects are searched linearly.
    private var index: [ExactString: Int]?

    init() {}

    init(reservingCapacity capacity: Int) {
        keys.reserveCapacity(capacity)
        slots.reserveCapacity(capacity)
    }

    func position(of key: String) -> Int? {
        if let index { return index[ExactString(key)] }
        let exact = ExactString(key)
        return keys.firstIndex { ExactString($0) == exact }
    }

    subscript(key: String) -> JSONEncodingSlot? {
        guard let position = position(of: key) else { return nil }
        return slots[position]
    }

    /// Sets `key`; a key set again keeps its first position and takes the new value.
    func set(_ key: String, _ slot: JSONEncodingSlot) {
        if let position = position(of: key) {
            slots[position] = slot
            return
        }
        keys.append(key)
        slots.append(slot)
        if index != nil {
            index?[ExactString(key)] = keys.count - 1
        } else if keys.count > 12 {
            var built = [ExactString: Int](minimumCapacity: keys.count * 2)
            for (position, key) in keys.enumerated() { built[ExactString(key)] = position }
            index = built
        }
    }

    func materialize() -> JSONObject {
        var members = [(key: String, value: JSONValue)]()
        members.reserveCapacity(keys.count)
        for (key, slot) in zip(keys, slots) { members.append((key, slot.materialize())) }
        return JSONObject(uniqueMembers: members)
    }
}

/// An array under construction.
final class JSONArrayBox {
    var elements: [JSONEncodingSlot] = []

    init() {}
}
