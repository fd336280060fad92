import KodePostgres

/// Stores a test opened, shut down together at its end.
actor OpenedStores {
    private var stores: [PostgresStore] = []
    func add(_ store: PostgresStore) { stores.append(store) }
    func shutdown() async {
        for store in stores { await store.shutdown() }
        stores = []
    }
}
