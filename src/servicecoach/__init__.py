"""servicecoach: a command-line interaction coach for people who serve customers."""

__version__ = "0.1.0"
