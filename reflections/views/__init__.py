"""The pages of reflections, one module per part of the work.

- `methods`: the reflection methods and a group's own copies of them.
- `agenda`: a dilemma put on a meeting's agenda, and its reflection opened.
- `now`: a session held now, in a meeting scheduled on the spot.
- `session` and `step_save`: the session runner. `step_page` builds a step's
  page and its forms; `step_save` saves the facilitator's step form and then does
  what its button says.
- `record`: the record of a reflection, its citations, sign-off and amendments.
- `log`: the log as it is filed: the printable page and its PDF.
- `actions`: the follow-up of agreed actions.
- `lookups`: finding a reflection and its steps for the member who asks.
"""
