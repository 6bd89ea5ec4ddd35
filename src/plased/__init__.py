"""PLASED API: the REST service of a Platform for Socio-Economic Dialogue and its COSS."""

__version__ = "0.1.0"
