import Testing

@Test func placeholderKodeTUITests() {}
