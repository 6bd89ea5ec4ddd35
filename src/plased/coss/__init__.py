"""The COSS: service taxonomy, the service directory, needs and the needs-versus-supply gaps."""
