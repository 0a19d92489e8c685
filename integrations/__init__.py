"""The outside world, each part behind a small interface with a real and a local implementation."""
