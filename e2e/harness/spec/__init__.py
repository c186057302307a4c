"""Executable readings of RFC 6265bis (parsing, storage, sending), the sections rows cite, the parser corpus."""
