import Foundation

/// Synthetic vendor streams for the provider benchmarks, shaped like real replies.
enum ProviderBenchCorpus {
    /// An Anthropic reply with `deltas` text deltas of a few words each.
    static func anthropic(deltas: Int) -> [UInt8] {
        var text = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":2000,\"output_tokens\":1}}}\n\n"
        text += "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        let words = ["the quick ", "brown fox ", "jumps over ", "a lazy dög ", "— and then ", "writes \\\"code\\\" "]
        for index in 0..<deltas {
            text += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\(words[index % words.count])\"}}\n\n"
        }
        text += "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        text += "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":\(deltas)}}\n\n"
        text += "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        return Array(text.utf8)
    }

    /// An OpenAI chat completions reply with `deltas` content chunks.
    static func openAI(deltas: Int) -> [UInt8] {
        var text = ""
        for index in 0..<deltas {
            text += "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \(index) \"},\"finish_reason\":null}]}\n\n"
        }
        text += "data: {\"id\":\"chatcmpl-bench\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        text += "data: [DONE]\n\n"
        return Array(text.utf8)
    }

    /// A Gemini reply with `deltas` text chunks.
    static func gemini(deltas: Int) -> [UInt8] {
        var text = ""
        for index in 0..<deltas {
            let finish = index == deltas - 1 ? ",\"finishReason\":\"STOP\"" : ""
            text += "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"word \(index) \"}],\"role\":\"model\"}\(finish),\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}\n\n"
        }
        return Array(text.utf8)
    }
}
