"""Transcript parsing: files in, documents with utterances, sentences and recall stops out.

No Qt and no database here; the study store in `coding` persists what this package returns.
"""
