"""Value chains: prioritisation, value-chain focus groups and participatory strategies."""
