enum KodeProvidersPlaceholder {}
