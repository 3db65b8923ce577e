"""Rule packs and their data (package data of the reviewer distribution)."""
