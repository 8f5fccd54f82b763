"""A plain, fast table for fpdf2: word-wrapped cells, right-aligned numbers, header repeated per page.

fpdf2's own ``FPDF.table`` lays out every cell with ``multi_cell`` twice (measure, then
draw), about 3 ms a cell: 6 s for the line items of a ten-service scenario.  Here a
cell is wrapped with word widths read from the font's own width table (cached), and
each line is placed with ``FPDF.text`` at its baseline, about ten times faster than
``cell`` and the same text.  ``text`` does not apply fpdf2's fallback fonts, so a line
is split into runs of the main font and of the fallback face (CJK names), each drawn
in its own font.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from fpdf import FPDF

#: Cell padding and line height [mm] for the font sizes used (6–8 pt).
PADDING_MM = 0.8
LINE_FACTOR_MM_PER_PT = 0.42
HEADER_FILL_RGB = (48, 84, 150)


class PdfGrid:
    """Draws rows of text in columns of fixed widths [mm] across pages."""

    def __init__(self, pdf: FPDF, widths_mm: Sequence[float], right_aligned: Sequence[bool], *,
                 font_family: str, size_pt: float, header: Sequence[str],
                 fallback: tuple[str, frozenset[int]] | None = None) -> None:
        """``fallback``: the family of the fallback face and the code points the main font has."""
        self.pdf = pdf
        self.widths_mm = tuple(widths_mm)
        self.right_aligned = tuple(right_aligned)
        self.font_family = font_family
        self.size_pt = size_pt
        self.line_mm = size_pt * LINE_FACTOR_MM_PER_PT
        self.header = tuple(header)
        self.fallback = fallback
        self._word_mm: dict[tuple[str, str], float] = {}

    def _runs(self, text: str, style: str) -> list[tuple[str, str, str]]:
        """``text`` as (family, style, run) pieces: the main font, or the fallback face (regular only)."""
        if self.fallback is None:
            return [(self.font_family, style, text)]
        family, covered = self.fallback
        return [(self.font_family, style, "".join(run)) if main else (family, "", "".join(run))
                for main, run in groupby(text, key=lambda c: ord(c) in covered)]

    def _width(self, text: str, style: str) -> float:
        key = (text, style)
        cached = self._word_mm.get(key)
        if cached is None:
            fonts = self.pdf.fonts
            points = sum(fonts[family.lower() + font_style].get_text_width(run, self.size_pt, None)[1]
                         for family, font_style, run in self._runs(text, style))
            cached = self._word_mm[key] = points / self.pdf.k
        return cached

    def _text(self, x: float, y_top: float, text: str, style: str) -> None:
        """One line of a cell, its top at ``y_top`` [mm], placed where ``FPDF.cell`` would put it."""
        baseline = y_top + 0.5 * self.line_mm + 0.3 * self.size_pt / self.pdf.k
        switched = False
        for family, font_style, run in self._runs(text, style):
            if family != self.font_family or switched:
                self.pdf.set_font(family, font_style, self.size_pt)
                switched = True
            self.pdf.text(x, baseline, run)
            x += self._width(run, style if family == self.font_family else "")
        if switched:
            self.pdf.set_font(self.font_family, style, self.size_pt)

    def _wrap(self, text: str, width_mm: float, style: str) -> list[str]:
        """Greedy word wrap; a word wider than the cell is cut by characters."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if self._width(candidate, style) <= width_mm:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = word
                while self._width(line, style) > width_mm and len(line) > 1:
                    cut = len(line) - 1
                    while cut > 1 and self._width(line[:cut], style) > width_mm:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
            lines.append(line)
        return lines

    def _layout(self, texts: Sequence[str], style: str) -> tuple[list[list[str]], float]:
        """Each cell's lines and the row height [mm] (measured in the row's font)."""
        self.pdf.set_font(self.font_family, style, self.size_pt)
        wrapped = [self._wrap(t, w - 2 * PADDING_MM, style) for t, w in zip(texts, self.widths_mm, strict=True)]
        return wrapped, max(len(lines) for lines in wrapped) * self.line_mm + 2 * PADDING_MM

    def _row(self, texts: Sequence[str], *, is_header: bool) -> None:
        pdf = self.pdf
        style = "B" if is_header else ""
        wrapped, height = self._layout(texts, style)
        if not is_header and pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            self._row(self.header, is_header=True)
            pdf.set_font(self.font_family, style, self.size_pt)
        x, y = pdf.l_margin, pdf.get_y()
        if is_header:
            pdf.set_fill_color(*HEADER_FILL_RGB)
            pdf.set_text_color(255, 255, 255)
        for lines, width, right in zip(wrapped, self.widths_mm, self.right_aligned, strict=True):
            pdf.rect(x, y, width, height, style="DF" if is_header else "D")
            for i, line in enumerate(lines):
                left = x + width - PADDING_MM - self._width(line, style) if right and not is_header else x + PADDING_MM
                self._text(left, y + PADDING_MM + i * self.line_mm, line, style)
            x += width
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(pdf.l_margin, y + height)

    def draw(self, rows: Sequence[Sequence[str]]) -> None:
        """The header (on a new page if it and the first row do not fit on this one), then every row."""
        first = self._layout(rows[0], "")[1] if rows else 0.0
        if self.pdf.get_y() + self._layout(self.header, "B")[1] + first > self.pdf.page_break_trigger:
            self.pdf.add_page()
        self._row(self.header, is_header=True)
        for row in rows:
            self._row(row, is_header=False)
