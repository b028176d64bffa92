"""domainkit built-in legal pack (entry point ``domainkit.packs: legal``)."""
