import Testing

@Test func placeholderKodeStoreTests() {}
