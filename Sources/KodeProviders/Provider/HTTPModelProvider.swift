import KodeKernel

/// A model behind a vendor's streaming HTTP API: `POST {baseURL}{vendor endpoint}` with the
/// vendor's headers and JSON body, its server-sent events decoded into the kernel's normalized
/// stream, with retries, timeouts and cancellation as `FaultPolicy` says.
public struct HTTPModelProvider: ModelProvider {
    /// Name (the vendor's), model and base URL.
    public let info: ProviderInfo
    /// How this vendor's API is spoken.
    public let vendor: Vendor
    private let apiKey: String?
    private let client: SharedHTTPClient
    private let policy: FaultPolicy

    /// A provider for `model` at `baseURL` (default: the vendor's own). A nil or empty `apiKey`
    /// sends no key header, which only local OpenAI-compatible servers accept. The key is kept
    /// for requests and for scrubbing error messages, never stored or shown.
    public init(
        _ vendor: Vendor, model: String, apiKey: String?, baseURL: String? = nil, client: SharedHTTPClient,
        policy: FaultPolicy = FaultPolicy()
    ) {
        self.info = ProviderInfo(name: vendor.name, model: model, baseURL: baseURL ?? vendor.defaultBaseURL)
        self.vendor = vendor
        self.apiKey = apiKey
        self.client = client
        self.policy = policy
    }

    /// Streams one reply. `request.model` wins over the configured model when non-empty.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        var request = request
        if request.model.isEmpty { request.model = info.model }
        let base = info.baseURL ?? vendor.defaultBaseURL
        var headers: [(name: String, value: String)] = [("content-type", "application/json"), ("accept", "text/event-stream")]
        if let apiKey, !apiKey.isEmpty { headers.append(vendor.keyHeader(apiKey)) }
        headers += vendor.extraHeaders
        let http = HTTPStreamRequest(
            url: BaseURL.join(base, vendor.path(request.model)),
            headers: headers,
            body: Array(vendor.body(request, base).compactText.utf8),
            vendor: VendorIdentity(name: vendor.name, keyVariable: vendor.keyVariable, secret: apiKey))
        return vendor.run(http, client, policy)
    }
}
