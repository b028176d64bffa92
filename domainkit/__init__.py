"""domainkit: adapt small distilled language models to clinical and legal text.

The core never imports the built-in packs: they are found through the
``domainkit.packs`` entry-point group exactly like a third-party pack.
"""

__version__ = "0.1.0"

#: Version of the pack contract (see ``domainkit.packs.contract``). A pack
#: declaring another ``api_version`` is listed as broken, not loaded.
API_VERSION = 1

__all__ = ["API_VERSION", "__version__"]
