/// The example's data: three messages waiting to be triaged.
struct Inbox: Sendable {
    struct Item: Sendable {
        var from: String
        var subject: String
        var body: String
    }

    let items: [String: Item] = [
        "1": Item(from: "ops", subject: "staging database down",
                  body: "The staging database has refused connections since 09:10; the nightly tests are failing."),
        "2": Item(from: "alice", subject: "lunch on Friday?", body: "Shall we try the new noodle place on Friday at noon?"),
        "3": Item(from: "billing", subject: "invoice 4411", body: "Invoice 4411 for the build servers is due next Tuesday."),
    ]
}
