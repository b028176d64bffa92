"""Audit: counts per type and documents, never any text."""

from __future__ import annotations

import json

from domainkit.deid import PHI_TYPES, Audit


def test_audit_counts_types_and_documents_without_text(rules_only):
    notes = ["Dr. Okafor saw pt on 7/22 and 7/23.", "Call 410-555-0199.", "No identifiers."]
    audit = Audit()
    audit.add_all(rules_only.redact_many(notes))
    data = audit.to_dict()
    assert data["documents"] == 3
    assert data["counts"]["DATE"] == 2 and data["counts"]["NAME"] == 1 and data["counts"]["PHONE"] == 1
    assert set(data["counts"]) == set(PHI_TYPES)
    assert data["redactions"] == 4
    dumped = json.dumps(data)
    for secret in ("Okafor", "7/22", "410", "identifiers"):
        assert secret not in dumped
