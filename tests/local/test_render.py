from __future__ import annotations

from bot.local.render import plain, render_blocks


def test_plain_makes_mrkdwn_readable() -> None:
    assert (
        plain("see <https://x.io|docs> <@U1|bob> &lt;b&gt; &amp;")
        == "see docs (https://x.io) @U1 <b> &"
    )


def test_render_blocks_numbers_buttons() -> None:
    seen: list[tuple[str, str]] = []

    def number(element: dict, block_id: str) -> int:
        seen.append((element["action_id"], block_id))
        return len(seen)

    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Hi"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "line 1\nline 2"}},
        {
            "type": "section",
            "fields": [{"type": "mrkdwn", "text": "a"}, {"type": "mrkdwn", "text": "b"}],
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "ctx"}]},
        {
            "type": "actions",
            "block_id": "row",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "Yes"}, "action_id": "y"},
                {"type": "button", "text": {"type": "plain_text", "text": "No"}, "action_id": "n"},
            ],
        },
        {"type": "divider"},
    ]
    lines = render_blocks(blocks, number)
    assert lines[:7] == ["== Hi ==", "line 1", "line 2", "", "a", "", "b"]
    assert lines[7:9] == ["   (ctx)", "   [1] Yes  [2] No"]
    assert seen == [("y", "row"), ("n", "row")]


def test_plain_renders_bold_italic_and_strike_for_a_terminal() -> None:
    text = "*Product manager* owns it, _not_ the ~boss~; snake_case_name and 2*3*4 stay"
    assert plain(text) == "Product manager owns it, not the boss; snake_case_name and 2*3*4 stay"
    assert plain(text, ansi=True) == (
        "\x1b[1mProduct manager\x1b[22m owns it, \x1b[3mnot\x1b[23m the \x1b[9mboss\x1b[29m; "
        "snake_case_name and 2*3*4 stay"
    )
    assert plain("* not bold *") == "* not bold *"


def test_common_emoji_codes_show_as_emoji_and_others_stay() -> None:
    assert (
        plain(":bulb: PM tip :wave: :not_an_emoji: 09:05:") == "💡 PM tip 👋 :not_an_emoji: 09:05:"
    )
