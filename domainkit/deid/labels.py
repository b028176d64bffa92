"""Label names seen through the de-identification rules.

Labels are never redacted: a model needs them to name its predictions, so they are written as
they are into the model's config, its card and the reports. But a label column can hold
identifiers (a mistyped ``--label-column`` that names the patient column, a class named after a
clinician), and stderr ends up in CI logs and tickets. So every message that lists labels shows
them as de-identification would write them ("MRN [ID]", "[NAME]"), and a run warns once when
its labels hold what the rules take for identifiers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from domainkit.log import get_logger

if TYPE_CHECKING:
    from domainkit.deid.deidentifier import Deidentifier

log = get_logger(__name__)


@lru_cache(maxsize=1)
def _every_rule() -> Deidentifier:
    """Every rule and spaCy NER, whatever a pack's policy: a label has no sentence around it to help."""
    from domainkit.deid.deidentifier import Deidentifier

    return Deidentifier()


#: Words of an identifier found in one label that mark it in the others: names, not numbers or "Dr".
_NAME_WORD = re.compile(r"[^\W\d_]{3,}")


def redacted_labels(names: Sequence[str], deidentifier: Deidentifier | None = None) -> list[str]:
    """Each name as de-identification writes it; a name without identifiers comes back unchanged.

    Out of a sentence the rules miss some names they find beside another ("Kunigunde Drax" but not
    "Mehitabel Drax"), so a label in which nothing was found but which shares a word with an
    identifier found in another label is shown as that identifier's placeholder alone.
    """
    if not names:
        return []
    redactions = list((deidentifier or _every_rule()).redact_many(names))
    found = {word.casefold(): span.type for name, redaction in zip(names, redactions) for span in redaction.spans
             for word in _NAME_WORD.findall(name[span.start:span.end])}
    shown = []
    for name, redaction in zip(names, redactions):
        shared = [found[word.casefold()] for word in _NAME_WORD.findall(name) if word.casefold() in found]
        shown.append(" ".join(f"[{kind}]" for kind in dict.fromkeys(shared))
                     if shared and not redaction.spans else redaction.text)
    return shown


def listing(forms: Sequence[str], limit: int) -> tuple[str, int]:
    """Up to ``limit`` distinct ``forms`` for a message, each with its count when it repeats ("[NAME] (x2)"),
    and how many of ``forms`` that leaves out. Several names redact to one form; listing it once keeps
    the message short."""
    counts = Counter(forms)
    shown = list(counts)[:limit]
    text = ", ".join(f"{form} (x{counts[form]})" if counts[form] > 1 else form for form in shown)
    return text, len(forms) - sum(counts[form] for form in shown)


#: Redacted forms a run-start warning lists at most.
WARNED_LABELS = 10


def warn_if_labels_identify(names: Sequence[str], deidentifier: Deidentifier | None = None) -> int:
    """Warn (redacted forms and counts only) when labels hold identifiers; returns how many do."""
    found = [redacted for name, redacted in zip(names, redacted_labels(names, deidentifier)) if redacted != name]
    if found:
        shown, left = listing(found, WARNED_LABELS)
        log.warning("%d of %d label(s) hold what de-identification takes for identifiers (shown redacted: %s%s). "
                    "Labels are never de-identified: they are written as they are into the model's config, "
                    "the report and the model card (and the teacher cache under DOMAINKIT_HOME); rename those "
                    "classes in your data if they identify anyone",
                    len(found), len(names), shown, f", {left} more" if left else "")
    return len(found)
