"""Keep Python's garbage collector out of the way of live traffic.

A server process holds about 150,000 objects once Django, Wagtail and our
apps are imported, and more once it has served pages. CPython's full
(generation 2) collection walks all of them: measured at 120-150 ms in an
ASGI process, and when one landed while a process was writing a post to 250
sockets, that post reached its watchers 150 ms late (the fan-out benchmark's
p99, docs/forums.md). Those objects live as long as the process, so after
start-up they are moved out of the collector's sight with `gc.freeze()`;
collections then walk only what requests create. Reference counting still
frees ordinary garbage at once.
"""

import gc

# Collect the youngest generation after this many net allocations instead of
# CPython's 700: a post written to 250 sockets allocates tens of thousands
# of short-lived objects, and each collection it set off postponed the rest
# of the sockets. Most of those objects die by reference counting anyway.
YOUNG_THRESHOLD = 50_000


def freeze_startup_objects():
    """Call once the application is loaded, before serving."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
