enum KodeTUIPlaceholder {}
