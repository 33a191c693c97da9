"""MT backends: each module defines one engine class, imported on demand."""
