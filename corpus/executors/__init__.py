"""How stage work runs: in this process, or on a local process pool (distributed engines: later)."""
