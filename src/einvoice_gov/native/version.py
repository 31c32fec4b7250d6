"""The version of the native compiler's output, part of every compiled stage's cache key.

Bump it whenever :mod:`.codegen` or :mod:`.runtime` change what a compiled module contains or
expects: cached modules of another version are then never loaded again. It lives alone so that
finding a cached stage does not import the compiler (start-up time).
"""

COMPILER_VERSION = "33"
