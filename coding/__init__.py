"""The study: store, codebook, segments, agreement and review. No Qt here."""
