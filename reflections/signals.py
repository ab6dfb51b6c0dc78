"""What reflections tell the apps built on them, which they never import.

`signed_off` is sent by the sign-off page when a person has signed a reflection
off, inside the sign-off's transaction (receivers that reach outside it use
`transaction.on_commit`). Sign-offs made in code (demo data, scripts) send
nothing, so they mail no one.

`texts_erased` is sent by the retention rule, inside its transaction, with the
reflections whose texts it has just blanked.
"""

from __future__ import annotations

from django.dispatch import Signal

signed_off = Signal()  # reflection=
texts_erased = Signal()  # reflections=
