/// The Anthropic events that make up nearly all of a reply — a content block's delta, its end,
/// a ping — reduced to what the decoder acts on. Both the fast byte walk and the general
/// `JSONValue` path produce these, so the two cannot disagree on what a delta means.
package enum AnthropicBlockEvent: Equatable {
    /// What a `content_block_delta` carries.
    package enum Delta: Equatable {
        case text(String)
        case thinking(String)
        case signature(String)
        case inputJSON(String)
        /// Citations, future delta kinds, or a known kind without its string: nothing to emit.
        case none
    }

    case delta(index: Int, Delta)
    case blockStop(index: Int)
    case ping
}
