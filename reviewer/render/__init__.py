"""Output renderers: JSON, Akoma Ntoso XML, plain text."""
