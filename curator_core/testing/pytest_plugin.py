"""pytest plugin shipped with curator-core (entry point ``pytest11: curator``)."""
