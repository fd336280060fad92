/// `kode --version`.
enum KodeVersion {
    /// The release this build is. Bumped by hand with each release.
    static let current = "0.1.0"
}
