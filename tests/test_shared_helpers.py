"""The helpers several modules share: text made safe and measured, numbers rounded for reading."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tdplan.core.errors import InputTypeError
from tdplan.core.notation import floored, percent, readable, rounded
from tdplan.core.text import check_lang, clean, display_width, fit


class TestClean:
    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            ("Bản Bo", "Bản Bo"),
            ("Bản\r\nBo", "Bản Bo"),
            ("\x1b[31mđỏ", "\ufffd[31mđỏ"),  # ESC could drive the terminal
            ("\x1b]8;;http://x\x07link", "\ufffd]8;;http://x\ufffdlink"),  # OSC 8 link and BEL
            ("abc\u202edef", "abc\ufffddef"),  # a bidi override would reorder what is seen
            ("a\u200db", "a\u200db"),  # ZWJ stays
        ],
    )
    def test_controls_and_overrides(self, given: str, expected: str) -> None:
        """Line breaks become spaces; controls and format characters other than ZWJ/ZWNJ become U+FFFD."""
        assert expected == clean(given)

    @given(st.text())
    def test_every_character(self, written: str) -> None:
        """Any text: breaks as one space, each control, format character (but ZWJ, ZWNJ) or surrogate as U+FFFD."""
        text = re.sub(r"[\t\n\r\v\f\x85\u2028\u2029]+", " ", unicodedata.normalize("NFC", written))
        hidden = ("Cc", "Cs", "Cf")
        expected = "".join(
            "\ufffd" if unicodedata.category(c) in hidden and c not in "\u200c\u200d" else c for c in text
        )
        assert expected == clean(written)

    def test_nfc(self) -> None:
        """Combining accents are composed."""
        assert "Tả Lèng" == clean(unicodedata.normalize("NFD", "Tả Lèng"))


class TestWidth:
    def test_width(self) -> None:
        """Accents take no column, wide characters two."""
        assert (7, 7, 4) == (
            display_width("Tả Lèng"),
            display_width(unicodedata.normalize("NFD", "Tả Lèng")),
            display_width("越南"),
        )

    @pytest.mark.parametrize(("width", "expected"), [(20, "Tả Lèng"), (7, "Tả Lèng"), (6, "Tả Lè…"), (3, "Tả…")])
    def test_fit(self, width: int, expected: str) -> None:
        """A text too wide is cut with an ellipsis, within the width."""
        assert expected == fit("Tả Lèng", width)
        assert display_width(fit("Tả Lèng", width)) <= width


class TestLang:
    def test_unknown(self) -> None:
        """Only vi and en."""
        with pytest.raises(InputTypeError, match="unknown language 'fr'"):
            check_lang("fr")


class TestRounding:
    def test_rounded(self) -> None:
        """Half to even at 2 places, no trailing zeros."""
        assert [Decimal("0.12"), Decimal("0.13"), Decimal("16.5")] == [
            rounded(Decimal("0.125")),
            rounded(Decimal("0.1251")),
            rounded(Decimal("16.500")),
        ]

    def test_floored_never_crosses_a_threshold(self) -> None:
        """0.9499 is shown 0.94, not 0.95 (the on-track threshold)."""
        assert Decimal("0.94") == floored(Decimal("0.9499"))

    def test_percent(self) -> None:
        """1/11 is 9,09 % in Vietnamese notation."""
        assert ("9,09%", "9.09%") == (percent(Decimal(1) / 11, "vi"), percent(Decimal(1) / 11, "en"))

    def test_readable_never_looks_equal_to_the_threshold(self) -> None:
        """17.996 next to 18 is shown with 3 decimals, since 18.00 would read as on the threshold."""
        assert Decimal("17.996") == readable(Decimal("17.99600001"), Decimal(18))
