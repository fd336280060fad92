/// The environment a program the tests start gets: `environment` without what
/// `scripts/run-phase.sh`'s stdbuf put there (it line-buffers the test process by preloading a
/// library, which is for the test process alone; a tmux server would keep it for good).
func childEnvironment(_ environment: [String: String]) -> [String: String] {
    var cleaned = environment
    for key in ["LD_PRELOAD", "_STDBUF_O", "_STDBUF_E"] { cleaned[key] = nil }
    return cleaned
}
