"""vem: a safe, fast virtual environment manager for every shell."""

__version__ = "0.1.0"
