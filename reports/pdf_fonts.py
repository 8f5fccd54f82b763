"""Fonts for the PDF and its chart images: the bundled DejaVu Sans, plus a CJK face when names need one.

DejaVu Sans (bundled in ``reports/fonts``) covers Latin, Greek, Cyrillic, €, ₩ and the
arrows, but no Hangul, Kana or Han characters.  When the scenario's text has characters
DejaVu lacks, a Noto Sans CJK face is used for them: Debian's ``fonts-noto-cjk`` package
(``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc``), the same file where other
distributions install it, or any font file named by ``ADVISOR_CJK_FONT``.  It is loaded
only for such reports (it takes about half a second), and only the glyphs used are
embedded.

Characters no available font has are printed as ``[U+C6F9]`` (so two different names
never print the same), and the report says which font to install.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from presentation.text import printable as escape_controls

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSans"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
#: The PDF's name of the CJK fallback face.
CJK_FAMILY = "NotoSansCJK"
#: Environment variable naming a font file (TTF, OTF or TTC) to use for characters DejaVu lacks.
CJK_FONT_ENV = "ADVISOR_CJK_FONT"
#: Where distributions install Noto Sans CJK (Debian/Ubuntu ``fonts-noto-cjk``, Fedora, Arch, openSUSE).
CJK_FONT_PATHS: tuple[Path, ...] = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto-cjk/NotoSansCJK-Regular.ttc"),
)
#: The face of the collection to use: the Korean one (every face covers Hangul, Kana and Han).
CJK_FACE_NAME = "Noto Sans CJK KR"
#: What the report says when characters cannot be printed.
INSTALL_HINT = (f"install a CJK font (Debian/Ubuntu: apt-get install fonts-noto-cjk) or set {CJK_FONT_ENV} "
                "to a font file that has them")


@dataclass(frozen=True, slots=True, kw_only=True)
class FallbackFont:
    """A font file (and face of a collection) that covers characters DejaVu lacks."""

    path: Path
    face: int
    name: str
    codepoints: frozenset[int]


@dataclass(frozen=True, slots=True, kw_only=True)
class FontPlan:
    """What a report's text needs: the fallback face (if any) and the characters nothing can print."""

    fallback: FallbackFont | None
    unprintable: frozenset[str]

    @property
    def note(self) -> str:
        """A sentence for the reader when some characters cannot be printed; empty otherwise."""
        if not self.unprintable:
            return ""
        shown = " ".join(sorted(self.unprintable)[:8])
        return (f"Some characters of this report's names are not in the available fonts ({shown}): they are "
                f"printed as their code points, e.g. {escape_char(min(self.unprintable))}; to print them, "
                f"{INSTALL_HINT}.")

    def printable(self, text: str) -> str:
        """``text`` with control characters as escapes (:func:`presentation.text.printable`) and every
        character no font has replaced by ``[U+XXXX]``."""
        text = escape_controls(text)
        if not self.unprintable or not any(c in self.unprintable for c in text):
            return text
        return "".join(escape_char(c) if c in self.unprintable else c for c in text)


def escape_char(char: str) -> str:
    """``[U+C6F9]``: a character as its code point."""
    return f"[U+{ord(char):04X}]"


def _cmap(path: Path, face: int = 0) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=face, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=1)
def dejavu_codepoints() -> frozenset[int]:
    """The characters the bundled DejaVu Sans has (regular and bold share them)."""
    return _cmap(FONT_FILES[""])


def _face_index(path: Path) -> tuple[int, str]:
    """The index and name of :data:`CJK_FACE_NAME` in a collection (0 and its name for a single font)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() not in {".ttc", ".otc"}:
        with TTFont(path, lazy=True) as font:
            return 0, str(font["name"].getDebugName(4))
    with TTCollection(path, lazy=True) as collection:
        names = [str(f["name"].getDebugName(4)) for f in collection.fonts]
    index = names.index(CJK_FACE_NAME) if CJK_FACE_NAME in names else 0
    return index, names[index]


@lru_cache(maxsize=4)
def _load_fallback(path: Path) -> FallbackFont | None:
    try:
        face, name = _face_index(path)
        return FallbackFont(path=path, face=face, name=name, codepoints=_cmap(path, face))
    except Exception:  # an unreadable or foreign file: treated as absent, and the report says so
        return None


def find_fallback_font() -> FallbackFont | None:
    """The CJK font named by ``ADVISOR_CJK_FONT``, else the first installed Noto Sans CJK, else None."""
    named = os.environ.get(CJK_FONT_ENV)
    for path in ((Path(named),) if named else CJK_FONT_PATHS):
        if path.is_file():
            return _load_fallback(path)
    return None


def _needs(texts: Iterable[str]) -> frozenset[str]:
    covered = dejavu_codepoints()
    return frozenset(c for text in texts for c in text if ord(c) not in covered and c.isprintable() and c != " ")


def plan_fonts(texts: Iterable[str]) -> FontPlan:
    """Which fallback face the texts need, and which of their characters no available font has."""
    missing = _needs(texts)
    if not missing:
        return FontPlan(fallback=None, unprintable=frozenset())
    fallback = find_fallback_font()
    if fallback is None:
        return FontPlan(fallback=None, unprintable=missing)
    unprintable = frozenset(c for c in missing if ord(c) not in fallback.codepoints)
    return FontPlan(fallback=fallback, unprintable=unprintable)
