import KodeKernel

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws only `ModelError`: the standard library's
    /// version rethrows untyped errors, which a `throws(ModelError)` caller cannot pass on.
    func withModelBytes<Result>(_ body: (UnsafeRawBufferPointer) throws(ModelError) -> Result) throws(ModelError) -> Result {
        let outcome: Swift.Result<Result, ModelError> = withUnsafeBytes { bytes in
            do throws(ModelError) {
                return .success(try body(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
