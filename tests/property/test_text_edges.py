"""Law of the texts' first bytes: what is read from a column's buffers (each text's first
byte, whether it is blank, whether it needs trimming) is what Python's ``str`` says
of each text, whatever the chunks, slices and offsets of the array."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from doanorg.core._texts import SPACE, blank_texts, first_bytes, normalised_ascii

_CHARACTERS = st.sampled_from(["a", "é", " ", "\t", "\n", "\x1c", "\x1f", "\xa0", "\u3000",
                               "\u2028", "0", "-"])
_TEXTS = st.lists(st.text(_CHARACTERS, max_size=4), max_size=12)


@st.composite
def _arrays(draw: st.DrawFn, texts: list[str]) -> pa.Array | pa.ChunkedArray:
    """``texts`` as a plain, sliced, large or chunked string array."""
    form = draw(st.sampled_from(["plain", "sliced", "large", "chunked"]))
    if form == "sliced":
        return pa.array(["x", *texts, "y"], pa.string()).slice(1, len(texts))
    if form == "large":
        return pa.array(texts, pa.large_string())
    if form == "chunked":
        cut = draw(st.integers(0, len(texts)))
        return pa.chunked_array([pa.array(texts[:cut], pa.string()),
                                 pa.array(texts[cut:], pa.string())], type=pa.string())
    return pa.array(texts, pa.string())


@given(st.data(), _TEXTS)
def test_edges_and_blanks_are_what_each_text_says(data: st.DataObject,
                                                  texts: list[str]) -> None:
    array = data.draw(_arrays(texts))
    first, empty = first_bytes(array)
    encoded = [text.encode() for text in texts]
    assert [text[0] if text else 0 for text in encoded] == first.tolist()
    assert [not text for text in texts] == empty.tolist()
    assert [not text.strip(SPACE) for text in texts] == blank_texts(array).tolist()


@given(st.data(), _TEXTS)
def test_ascii_texts_are_trimmed_and_left_alone_when_they_need_no_trim(
    data: st.DataObject, texts: list[str]
) -> None:
    ascii_texts = [text.encode("ascii", "ignore").decode() for text in texts]
    array = data.draw(_arrays(ascii_texts))
    trimmed = normalised_ascii(array)
    assert [text.strip() for text in ascii_texts] == trimmed.to_pylist()
    if all(text == text.strip() for text in ascii_texts):
        assert trimmed is array
