"""Lark grammars of document structure (package data; see structure.lark)."""
