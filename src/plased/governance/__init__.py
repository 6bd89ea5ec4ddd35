"""Bodies, seats and terms, meetings, agenda, attendance, quorum, motions and ballots."""
