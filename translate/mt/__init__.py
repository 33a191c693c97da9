"""Machine translation: engines, models, decoding settings and the translation memory.

Nothing here imports torch, transformers or ctranslate2 at module level; the
backends do so when a model is loaded.
"""
