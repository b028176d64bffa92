"""domainkit built-in medical pack (entry point ``domainkit.packs: medical``)."""
