enum KodeTestSupportPlaceholder {}
