"""The curator loop: who curates, phrasings taught in Slack and unanswered questions
dismissed (tables and store), `/pm unanswered` and `/pm teach` with their Block Kit,
the topics due for review in App Home, and `pmbot taught export|clear`."""
