"""Start-up: the `coach` entry point and the cache that lets it show a first screen at once."""
