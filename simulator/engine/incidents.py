"""How a second incident (a failure the team caused) is named to people: its title and the
change that came just before it, never only its id.

The engine journals a ``second_incident`` event when such a fault starts; reports, the
reveal panel and the end-of-run line all describe it from there. Journals written before
that event existed fall back to the fault's title.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator.format.scenario import Scenario


def describe(scenario: Scenario, ids: Iterable[str], events: Iterable[dict[str, Any]] = ()
             ) -> list[str]:
    """'<title> (began after <change> (<who>, landed <time>))' for each caused fault."""
    told = {str((e.get("data") or {}).get("fault")): dict(e.get("data") or {}) for e in events
            if e.get("kind") == "second_incident"}
    titles = {f.id: f.title for f in scenario.faults}
    out = []
    for fault_id in ids:
        data = told.get(fault_id, {})
        title = str(data.get("title") or titles.get(fault_id, fault_id))
        cause = data.get("cause")
        out.append(f"{title} (began after {cause})" if cause else title)
    return out
