import Testing

@Test func placeholderKodeCLITests() {}
