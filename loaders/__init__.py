"""Loaders: sources in, typed trial records out (generators, so memory stays flat)."""

from trialgraph.loaders.base import LoadProblem, detect, documents, iter_files, load_file, load_text, read_text, registry

__all__ = ["LoadProblem", "detect", "documents", "iter_files", "load_file", "load_text", "read_text", "registry"]
