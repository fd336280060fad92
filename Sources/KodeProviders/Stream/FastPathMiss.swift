/// Thrown inside a vendor's fast byte walk when a chunk is not one of the shapes it reads: the
/// decoder then takes its general path, which parses the whole chunk and decides (or reports the
/// error) on its own. Never seen outside a decoder.
struct FastPathMiss: Error {}
