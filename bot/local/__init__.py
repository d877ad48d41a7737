"""pmbot without a Slack workspace: the terminal shell (`pmbot shell`), the Web API
stand-in it and the tests answer Slack's calls with (on 127.0.0.1), and the
rendering of Block Kit as plain terminal text."""
