"""Readout: meeting reports in, well-aimed alerts out. The engine lives here."""

__version__ = "0.1.0"
