import Testing

@Test func placeholderKodeProvidersTests() {}
