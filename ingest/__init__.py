"""Ingest: turn corpus files into indexed chunks (loaders → chunking → embeddings → store)."""
