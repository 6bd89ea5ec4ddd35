"""The audit trail and the outbox: written in the transaction of the change they describe."""
