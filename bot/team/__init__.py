"""Who holds each role in a channel: the table and its store, the roles a person can
hold, `/pm team`, the "Here: …" line under answers, and "Your roles" in App Home."""
