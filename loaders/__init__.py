"""Loaders: sources in, typed trial records out (generators, so memory stays flat)."""

from trialgraph.loaders.base import LoadProblem, detect, iter_files, load_file, read_text, registry

__all__ = ["LoadProblem", "detect", "iter_files", "load_file", "read_text", "registry"]
