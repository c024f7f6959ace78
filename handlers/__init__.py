"""Everything that speaks a chat platform's language: platform-neutral command logic
(`commands.py`) and one adapter per platform (`console.py`; Telegram and Slack to come)."""
