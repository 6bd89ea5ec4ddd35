"""Service referrals: clients, consent, the workflow, deadlines, retention, statistics."""
