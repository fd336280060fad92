/// One streaming POST as a vendor wants it: URL, headers and a JSON body.
package struct HTTPStreamRequest: Sendable {
    var url: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var vendor: VendorIdentity
}
