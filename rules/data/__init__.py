"""Reference data: law registry, level-detection table."""
