from typing import Any

def handlers() -> dict[str, Any]:
    """The XLA FFI handlers, by target name, as PyCapsules for jax.ffi.register_ffi_target."""
