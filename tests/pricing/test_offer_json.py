"""pricing.offer_json: the streaming bulk-offer reader, on trimmed real offer files.

Every record the reader yields must equal what ``json.load`` sees, in file order,
whatever the read-chunk size; a damaged file must fail with an OfferFormatError that
names the source and the record, never with a partial record or a bare traceback.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pricing.offer_json as offer_json
from pricing.errors import OfferFormatError
from pricing.normalize import normalize_offer_records
from pricing.offer_json import OfferHeader, OfferProduct, OfferTerms, iter_offer_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EC2_US_EAST_1 = FIXTURES / "offers" / "AmazonEC2" / "us-east-1" / "index.json"  # compact, as in the bulk data
ECS_EU_WEST_1 = FIXTURES / "offers" / "AmazonECS" / "eu-west-1" / "index.json"  # indented


def expected_records(data: bytes) -> list:
    """What the reader must yield: json.load's view of the file, flattened in file order."""
    out: list = []
    for key, value in json.loads(data).items():
        if key == "products":
            out.extend(OfferProduct(sku, product) for sku, product in value.items())
        elif key == "terms":
            for term_type, by_sku in value.items():
                out.extend(OfferTerms(term_type, sku, offers) for sku, offers in by_sku.items())
        else:
            out.append(OfferHeader(key, value))
    return out


def read_all(data: bytes, source: str = "test.json") -> list:
    return list(iter_offer_file(io.BytesIO(data), source))


def record_spans(data: bytes) -> list[tuple[int, int, str]]:
    """(value start, value end, name) of every record, found independently of the reader.

    ``name`` is the SKU for products and terms, the key for header values.
    """
    text = data.decode("utf-8")
    decoder = json.JSONDecoder()
    spans = []
    pos = 0
    for record in expected_records(data):
        name = record.key if isinstance(record, OfferHeader) else record.sku
        match = re.compile(re.escape(json.dumps(name)) + r"\s*:\s*").search(text, pos)
        assert match is not None, name
        _, end = decoder.raw_decode(text, match.end())
        spans.append((match.end(), end, name))
        pos = end
    return spans


@pytest.fixture(params=[EC2_US_EAST_1, ECS_EU_WEST_1], ids=["ec2-compact", "ecs-indented"])
def offer_bytes(request) -> bytes:
    return request.param.read_bytes()


def test_records_in_file_order(offer_bytes):
    records = read_all(offer_bytes)
    assert records == expected_records(offer_bytes)
    kinds = [type(r).__name__ for r in records]
    # headers first, then every product, then the terms: the order AWS writes
    assert kinds.index("OfferProduct") < kinds.index("OfferTerms")
    assert "OfferProduct" not in kinds[kinds.index("OfferTerms"):]


def test_real_ec2_file_content():
    records = read_all(EC2_US_EAST_1.read_bytes())
    headers = {r.key: r.value for r in records if isinstance(r, OfferHeader)}
    assert headers["offerCode"] == "AmazonEC2"
    assert headers["publicationDate"] == "2025-10-28T17:54:55Z"
    products = {r.sku: r.product for r in records if isinstance(r, OfferProduct)}
    assert products["6C86BEPQVG73ZGGR"]["attributes"]["instanceType"] == "m5.large"
    reserved = [r for r in records if isinstance(r, OfferTerms) and r.term_type == "Reserved"
                and r.sku == "6C86BEPQVG73ZGGR"]
    assert len(reserved) == 1
    assert len(reserved[0].offers) == 4  # 1yr/3yr x standard/convertible, No Upfront


@pytest.mark.parametrize("chunk", [1, 7, 64, 4096])
def test_chunk_size_does_not_change_output(monkeypatch, offer_bytes, chunk):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", chunk)
    assert read_all(offer_bytes) == expected_records(offer_bytes)


@settings(max_examples=40, deadline=None)
@given(chunk=st.integers(min_value=1, max_value=3000))
def test_chunk_size_property(chunk):
    data = ECS_EU_WEST_1.read_bytes()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(offer_json, "CHUNK_BYTES", chunk)
        assert read_all(data) == expected_records(data)


INTEGERS_DOC = (b'{"formatVersion":"v1.0","count":1234567890123,"neg":-17,"flag":true,"off":false,"none":null,'
                b'"version":"20251028175455","products":{},"terms":{}}')
FRACTIONS_DOC = b'{"formatVersion":"v1.0","pi":3.14159265358979,"ratio":-0.5e-7,"big":2E+10,"products":{},"terms":{}}'


def _headers(data: bytes) -> dict:
    return {k: v for k, v in json.loads(data).items() if k not in ("products", "terms")}


@pytest.mark.parametrize("chunk", range(1, 41))
def test_integers_and_literals_split_at_chunk_edges(monkeypatch, chunk):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", chunk)
    assert {r.key: r.value for r in read_all(INTEGERS_DOC)} == _headers(INTEGERS_DOC)


def test_fractions_and_exponents_split_at_chunk_edges():
    """'3.' or '5e-' at the window edge must not be decoded as the integer prefix."""
    failures = []
    for chunk in range(1, 41):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(offer_json, "CHUNK_BYTES", chunk)
            try:
                got = {r.key: r.value for r in read_all(FRACTIONS_DOC)}
            except OfferFormatError as exc:
                got = str(exc)
        if got != _headers(FRACTIONS_DOC):
            failures.append((chunk, got))
    assert failures == []


@pytest.mark.parametrize("chunk", [41, 64, 1 << 20])
def test_fractions_and_exponents_within_one_chunk(monkeypatch, chunk):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", chunk)
    assert {r.key: r.value for r in read_all(FRACTIONS_DOC)} == _headers(FRACTIONS_DOC)


def test_number_at_end_of_file_is_complete():
    assert read_all(b'{"n":12345}') == [OfferHeader("n", 12345)]


def _check_truncated(data: bytes, cut: int, spans: list[tuple[int, int, str]]) -> None:
    full = expected_records(data)
    yielded: list = []
    with pytest.raises(OfferFormatError) as info:
        for record in iter_offer_file(io.BytesIO(data[:cut]), "AmazonEC2/us-east-1/index.json"):
            yielded.append(record)
    err = info.value
    assert err.source == "AmazonEC2/us-east-1/index.json"
    assert str(err).startswith("AmazonEC2/us-east-1/index.json: ")
    # never a partial record: exactly the records that end before the cut, each whole
    complete = sum(1 for _, end, _ in spans if end <= cut)
    assert yielded == full[:complete]
    # a cut inside a record's value names that record (the SKU of a product or term)
    inside = [name for start, end, name in spans if start < cut < end]
    if inside:
        assert inside[0] in err.record
    assert any(w in err.expected for w in ("end of file", "truncated", "complete JSON", "an object key"))


@pytest.mark.parametrize("chunk", [64, 1 << 20])
def test_truncated_file_at_many_cut_points(monkeypatch, chunk):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", chunk)
    data = EC2_US_EAST_1.read_bytes().rstrip()
    spans = record_spans(data)
    for cut in [*range(200), *range(200, len(data), 53), len(data) - 1]:
        _check_truncated(data, cut, spans)


@settings(max_examples=60, deadline=None)
@given(fraction=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
       chunk=st.sampled_from([7, 64, 1000]))
def test_truncated_file_property(fraction, chunk):
    data = ECS_EU_WEST_1.read_bytes().rstrip()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(offer_json, "CHUNK_BYTES", chunk)
        _check_truncated(data, int(len(data) * fraction), record_spans(data))


def test_truncated_product_names_its_sku():
    data = EC2_US_EAST_1.read_bytes()
    start = data.index(b'"6C86BEPQVG73ZGGR":{"sku"')
    with pytest.raises(OfferFormatError, match=r"product 6C86BEPQVG73ZGGR.*truncated download"):
        read_all(data[: start + 200], "AmazonEC2/us-east-1/index.json")


def test_truncated_reserved_term_names_term_type_and_sku():
    data = EC2_US_EAST_1.read_bytes()
    reserved = data.index(b'"Reserved":{')
    start = data.index(b'"6C86BEPQVG73ZGGR":{', reserved)
    with pytest.raises(OfferFormatError, match=r"terms\.Reserved sku 6C86BEPQVG73ZGGR"):
        read_all(data[: start + 300])


def test_bad_json_mid_file_names_the_record(monkeypatch):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", 64)
    data = EC2_US_EAST_1.read_bytes()
    start = data.index(b'"RSV572JURZ29ZMTS":{"sku"')
    bad = data.replace(b'"instanceType":"m6g.large",', b'"instanceType":"m6g.large";', 1)
    assert bad.index(b'"m6g.large";') > start
    yielded = []
    with pytest.raises(OfferFormatError) as info:
        for record in iter_offer_file(io.BytesIO(bad), "bad.json"):
            yielded.append(record)
    assert info.value.source == "bad.json"
    assert "RSV572JURZ29ZMTS" in info.value.record
    assert all(isinstance(r, OfferHeader) or r.sku != "RSV572JURZ29ZMTS" for r in yielded)
    assert yielded == expected_records(data)[: len(yielded)]


def test_missing_comma_between_products():
    data = EC2_US_EAST_1.read_bytes()
    bad = data.replace(b'}},"4TFFGXJMCK23ZSWR":', b'}} "4TFFGXJMCK23ZSWR":', 1)
    assert bad != data
    with pytest.raises(OfferFormatError, match=r"products: expected ',' or '}', found '\"'"):
        read_all(bad)


@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_non_utf8_bytes(monkeypatch, chunk):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", chunk)
    data = ECS_EU_WEST_1.read_bytes()
    bad = data.replace(b"AWS Fargate", b"AWS \xff\xfeFargate", 1)
    assert bad != data
    yielded = []
    with pytest.raises(OfferFormatError, match=r"^ecs\.json: .*expected UTF-8 text") as info:
        for record in iter_offer_file(io.BytesIO(bad), "ecs.json"):
            yielded.append(record)
    assert info.value.source == "ecs.json"
    assert yielded == expected_records(data)[: len(yielded)]


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_truncated_inside_multibyte_character(monkeypatch, chunk):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", chunk)
    doc = '{"offerCode":"AmazonEC2","products":{"A":{"sku":"A","attributes":{"location":"Montréal"}}}}'
    data = doc.encode("utf-8")
    cut = data.index("é".encode()) + 1  # between the two bytes of "é"
    yielded = []
    with pytest.raises(OfferFormatError) as info:
        for record in iter_offer_file(io.BytesIO(data[:cut]), "cut.json"):
            yielded.append(record)
    assert info.value.source == "cut.json"
    assert "truncated" in str(info.value)
    assert yielded == [OfferHeader("offerCode", "AmazonEC2")]


def test_multibyte_characters_split_across_chunks(monkeypatch):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", 1)
    doc = '{"offerCode":"AmazonEC2","note":"Montréal — São Paulo","products":{},"terms":{}}'.encode()
    assert read_all(doc)[1] == OfferHeader("note", "Montréal — São Paulo")


@pytest.mark.parametrize(("data", "message"), [
    (b"", r"top-level object: expected '\{', found end of file"),
    (b"[1, 2]", r"top-level object: expected '\{', found '\['"),
    (b'{"products": []}', r"products: expected '\{', found '\['"),
    (b'{"products": {"A": "x"}}', r"product A: expected an object"),
    (b'{"terms": {"OnDemand": {"A": 3}}}', r"terms\.OnDemand sku A: expected an object"),
    (b'{"a": "b"} {"c": 1}', r"after the top-level object: expected end of file"),
    (b'{1: 2}', r"top-level object: expected an object key"),
])
def test_not_an_offer_file(data, message):
    with pytest.raises(OfferFormatError, match=message):
        read_all(data)


def test_oversized_record_is_rejected(monkeypatch):
    monkeypatch.setattr(offer_json, "MAX_RECORD_CHARS", 100)
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", 16)
    doc = b'{"products":{"BIG":{"sku":"BIG","attributes":{"x":"' + b"y" * 1000
    with pytest.raises(OfferFormatError, match=r"product BIG: expected valid JSON within 100 characters"):
        read_all(doc)


def test_empty_products_and_terms():
    assert read_all(b'{"offerCode": "AmazonECS", "products": {}, "terms": {"OnDemand": {}}}') == [
        OfferHeader("offerCode", "AmazonECS")]


def _reordered(data: bytes) -> bytes:
    doc = json.loads(data)
    order = [k for k in doc if k not in ("products", "terms")] + ["terms", "products"]
    return json.dumps({k: doc[k] for k in order}).encode()


def test_reader_keeps_terms_before_products_order():
    data = _reordered(ECS_EU_WEST_1.read_bytes())
    kinds = [type(r).__name__ for r in read_all(data)]
    assert kinds.index("OfferTerms") < kinds.index("OfferProduct")


def test_terms_before_products_is_an_error_in_normalization():
    data = _reordered(ECS_EU_WEST_1.read_bytes())
    records = iter_offer_file(io.BytesIO(data), "AmazonECS/eu-west-1/index.json")
    with pytest.raises(OfferFormatError, match=r"^AmazonECS/eu-west-1/index.json: terms of sku \w+: "
                                               r"expected products before terms"):
        list(normalize_offer_records(records, "AmazonECS/eu-west-1/index.json"))


def test_stream_is_read_sequentially_and_never_seeked(monkeypatch):
    monkeypatch.setattr(offer_json, "CHUNK_BYTES", 256)

    class NoSeek(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            return self._inner.read(n)

        def seekable(self) -> bool:
            return False

    data = ECS_EU_WEST_1.read_bytes()
    assert list(iter_offer_file(NoSeek(data), "pipe")) == expected_records(data)
