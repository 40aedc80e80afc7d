"""Ways out of (and into) a study: Word reports, CSV/XLSX, REFI-QDA, charts."""
