"""The agreement table as a Qt model over the core's `AgreementResult` (no statistics here).

Columns follow SPEC section 5: with two coders the 2x2 counts and Cohen's kappa,
with three or more Fleiss' kappa and mean pairwise agreement. A statistic the
core left undefined (None) reads "n/a", never 0.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from coding.study_agreement import AgreementResult, CodeAgreement

RAW_ROLE = Qt.ItemDataRole.UserRole + 1  # the unformatted value
CODE_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's code path ("pooled" for the last)
_TWO = (
    ("Code", "code"), ("a (both)", "a"), ("b", "b"), ("c", "c"), ("d (neither)", "d"),
    ("% agreement", "percent_agreement"), ("Cohen's κ", "cohen_kappa"),
    ("Positive agr.", "positive_agreement"), ("Krippendorff's α", "krippendorff_alpha"),
)
_MANY = (
    ("Code", "code"), ("% agreement (mean pairs)", "percent_agreement"),
    ("Positive agr. (mean pairs)", "positive_agreement"), ("Fleiss' κ", "fleiss_kappa"),
    ("Krippendorff's α", "krippendorff_alpha"),
)
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def columns_for(coders: int) -> tuple[tuple[str, str], ...]:
    return _TWO if coders == 2 else _MANY


def shown(value: Any, field: str) -> str:
    """How a table cell reads: counts as integers, proportions to three places, or n/a."""
    if field == "code":
        return str(value)
    if value is None:
        return "n/a"
    if field == "percent_agreement":
        return f"{value:.1%}"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


class AgreementTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.result: AgreementResult | None = None
        self.rows: list[CodeAgreement] = []
        self.columns = _TWO

    def set_result(self, result: AgreementResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self.rows = [*result.codes, result.pooled] if result else []
        self.columns = columns_for(len(result.coders)) if result else _TWO
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][0]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        field = self.columns[index.column()][1]
        value = getattr(row, field)
        pooled = index.row() == len(self.rows) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            return "Pooled over codes" if pooled and field == "code" else shown(value, field)
        if role == RAW_ROLE:
            return value
        if role == CODE_ROLE:
            return row.code
        if role == Qt.ItemDataRole.TextAlignmentRole and field != "code":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and pooled:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and field == "code":
            return ("All (unit, code) decisions of the codes anyone applied" if pooled
                    else f"{row.code}\nClick to list the units the coders disagree on")
        return None
