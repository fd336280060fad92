import Testing

@Test func placeholderKodeKernelTests() {}
