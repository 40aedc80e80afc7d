"""Report charts render quietly: a label the chart font cannot draw is no stderr noise."""

from __future__ import annotations

import warnings

from exports.charts import CodeBar, ThemeBars, agreement_per_code, codes_by_perspective


def test_labels_with_emoji_render_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 'Glyph … missing from font(s)' went to stderr
        codes = codes_by_perspective(
            [ThemeBars("Sécurité 🛡️", [CodeBar("Peur 😨", "#E69F00", {"session": 2})])],
            ["session"],
        )
        agreement = agreement_per_code(["Peur 😨"], {"κ": [0.5]}, {"κ": 0.5})
    assert codes.startswith(b"\x89PNG") and agreement.startswith(b"\x89PNG")
