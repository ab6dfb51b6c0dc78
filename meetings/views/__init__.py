"""The pages of meetings, one module per part of the work.

- `groups`: the reflection groups, their members and their meetings.
- `meeting`: one meeting: scheduling it, its page and answers, changing and
  cancelling it, attendance and its calendar file.
- `series`: a series of meetings changed or cancelled from one of them.
- `calendar`: a person's calendar subscription and the feed it reads.
- `answer_link`: answering a meeting from the e-mail, without signing in.
- `overview`: the managers' overview of the meetings in their units.
- `lookups`: finding a group or a meeting for the member who asks.
"""
