"""What goes into the Word theme report: whose segments, which themes, which agreement.

The same choices as `ipr-workbench report` (`--coder`/`--consensus`, `--theme`,
`--unit`, `--agreement-coders`), plus all coders even where a consensus layer
exists. The layers are named by `coding.report_data.choose_layer`, so the dialog
and the report describe a layer in the same words; the default is the one the
report would pick by itself (consensus once it has segments, else all coders).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from coding.report_data import choose_layer
from coding.study import Study
from coding.study_agreement import UNITS
from workbench.check_list import CheckList


class ReportOptionsDialog(QDialog):
    def __init__(self, study: Study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Word theme report")
        coders = study.coders.list()
        coded = {coder_id for _, coder_id in study.segments.counts()}
        consensus = next((c for c in coders if c.consensus and c.id in coded), None)

        self.layer = QComboBox(self)
        layers: list[dict[str, Any]] = [{"consensus": True}] if consensus else []
        layers.append({"all_coders": True})
        layers += [{"coder": c.name} for c in coders if not c.consensus and c.id in coded]
        for choice in layers:
            description = choose_layer(study, **choice).description
            self.layer.addItem(description[0].upper() + description[1:], choice)

        self.themes = CheckList(self)
        for theme in study.codebook.load().roots:
            self.themes.add(theme.name, theme.path, True)
        self.unit = QComboBox(self)
        self.unit.addItems(UNITS)
        self.agreement_coders = CheckList(self)
        for coder in coders:
            if not coder.consensus and coder.id in coded:
                self.agreement_coders.add(coder.name, coder.name, True)
        for lister in (self.themes, self.agreement_coders):
            lister.fit_rows()

        intro = QLabel(
            "Counts of segments and dyads by perspective, the moments both participants "
            "coded, exemplar quotes, the codebook and the agreement table, as a .docx.", self)
        intro.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        form = QFormLayout()
        for caption, widget in (("&Segments of", self.layer), ("&Themes", self.themes),
                                ("Agreement &unit", self.unit),
                                ("Agreement &between", self.agreement_coders)):
            form.addRow(caption, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Save as…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        for lister in (self.themes, self.agreement_coders):
            lister.itemChanged.connect(self._check)
        self._check()

    def options(self) -> dict[str, Any]:
        """Keyword arguments for `exports.word_report.write_report` (None: the default)."""
        themes = self.themes.checked()
        coders = self.agreement_coders.checked()
        return {
            **self.layer.currentData(),
            "themes": None if len(themes) == self.themes.count() else themes,
            "unit": self.unit.currentText(),
            "agreement_coders": None if len(coders) == self.agreement_coders.count() else coders,
        }

    def _check(self) -> None:
        """No report without a theme; a word on an agreement table that cannot be computed."""
        has_themes = bool(self.themes.checked())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(has_themes)
        if not has_themes:
            self.hint.setText("Tick at least one theme.")
        elif len(self.agreement_coders.checked()) < 2:
            self.hint.setText("With fewer than two coders the report says why it has no "
                              "agreement table.")
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))
