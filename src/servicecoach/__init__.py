"""servicecoach: a command-line interaction coach for people who serve customers."""

__version__ = "0.1.0"
VERSION_LINE = f"coach (servicecoach) {__version__}"
"""What `coach --version` prints (the full program and the fast path alike)."""
