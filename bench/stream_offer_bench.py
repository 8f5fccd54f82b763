"""Benchmark: streaming offer-file reader vs ``json.load`` on a us-east-1-sized AmazonEC2 file.

The real us-east-1 AmazonEC2 region offer file is about 450 MB, and only a small part
of it is what the selectors keep (Linux, shared tenancy, no pre-installed software,
capacitystatus Used).  This script writes a synthetic file of that size into a
temporary directory (deleted afterwards), built from the record shapes of the
reconstructed ``offers/AmazonEC2/us-east-1/index.json`` (same attributes, offer term
codes, rate codes, description wording) with new SKUs, and then runs, each in its own
subprocess so that peak RSS is per method:

``naive``
    ``json.load`` of the whole file, then the same normalization
    (:func:`pricing.normalize.normalize_offer_records`) over the resulting dict;
``streaming``
    :func:`pricing.importer.iter_offer_path` (the reader ``advisor prices import`` uses).

It prints wall time and peak RSS of each, the streaming/naive ratios, and checks that
both produce the same rows (count and digest).  The goal stated in the issue: streaming
peak memory at most a tenth of naive, and no slower.

Usage::

    .venv/bin/python bench/stream_offer_bench.py             # about 450 MB, several minutes
    .venv/bin/python bench/stream_offer_bench.py --size-mb 20  # quick run
    .venv/bin/python bench/stream_offer_bench.py --pretty      # AWS's indented layout
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parent.parent
SHARED_SOURCE = REPO.parent / "shared" / "aws-price-data" / "offers" / "AmazonEC2" / "us-east-1" / "index.json"
FIXTURE_SOURCE = REPO / "tests" / "fixtures" / "offers" / "AmazonEC2" / "us-east-1" / "index.json"

ON_DEMAND_TERM = "JRTCKXETXF"
HOURLY_RATE = "6YS6EN2CT7"
UPFRONT_RATE = "2TG2D8R56U"
#: (LeaseContractLength, OfferingClass, PurchaseOption) -> AWS offer term code.
RESERVED_TERMS: dict[tuple[str, str, str], str] = {
    ("1yr", "standard", "No Upfront"): "4NA7Y494T4",
    ("1yr", "standard", "Partial Upfront"): "HU7G6KETJZ",
    ("1yr", "standard", "All Upfront"): "6QCMYABX3D",
    ("1yr", "convertible", "No Upfront"): "7NE97W5U4E",
    ("1yr", "convertible", "Partial Upfront"): "CUZHX8X6JH",
    ("1yr", "convertible", "All Upfront"): "VJWZNREJX2",
    ("3yr", "standard", "No Upfront"): "BPH4J8HBKS",
    ("3yr", "standard", "Partial Upfront"): "38NPMPTW36",
    ("3yr", "standard", "All Upfront"): "NQ3QZPMQV9",
    ("3yr", "convertible", "No Upfront"): "Z2E3P23VKM",
    ("3yr", "convertible", "Partial Upfront"): "R5XV2EPZQZ",
    ("3yr", "convertible", "All Upfront"): "MZU6U2429S",
}
# (operatingSystem, operation code, price factor), as AWS spells them.
_OS = (("Linux", "RunInstances", 1.0), ("Windows", "RunInstances:0002", 1.8), ("RHEL", "RunInstances:0010", 1.3),
       ("SUSE", "RunInstances:000g", 1.25), ("Red Hat Enterprise Linux with HA", "RunInstances:1010", 1.5),
       ("Ubuntu Pro", "RunInstances:0g00", 1.05))
_SOFTWARE = (("NA", 1.0), ("SQL Web", 1.4), ("SQL Std", 2.5), ("SQL Ent", 5.0))
_TENANCY = (("Shared", "BoxUsage"), ("Dedicated", "DedicatedUsage"), ("Host", "HostUsage"))
_CAPACITY = (("Used", ""), ("AllocatedCapacityReservation", "Reservation"),
             ("UnusedCapacityReservation", "UnusedBox"))
_LICENSE = ("No License required", "Bring your own license")
#: Every attribute combination; index 0 is the one the ec2.instance_hour selector keeps.
COMBOS: tuple[tuple[int, int, int, int, int], ...] = tuple(
    (o, s, t, c, lic) for o in range(len(_OS)) for s in range(len(_SOFTWARE)) for t in range(len(_TENANCY))
    for c in range(len(_CAPACITY)) for lic in range(len(_LICENSE))
    if lic == 0 or _OS[o][0] == "Windows")


# --- generation ----------------------------------------------------------------------
class OfferShapes:
    """The real records the synthetic file is replicated from."""

    def __init__(self, source: Path) -> None:
        doc = json.loads(source.read_text())
        self.header = {k: v for k, v in doc.items() if k not in ("products", "terms")}
        products = doc["products"]
        on_demand = doc["terms"]["OnDemand"]
        reserved = doc["terms"].get("Reserved", {})
        self.instances: list[tuple[dict[str, Any], float, dict[str, Any]]] = []
        self.others: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for sku, product in products.items():
            if product["productFamily"] == "Compute Instance":
                (od_term,) = on_demand[sku].values()
                (dim,) = od_term["priceDimensions"].values()
                self.instances.append((product, float(dim["pricePerUnit"]["USD"]), reserved.get(sku, {})))
            else:
                self.others.append((product, on_demand[sku]))
        first_instance = self.instances[0][0]["sku"]
        self.effective_date = on_demand[first_instance][f"{first_instance}.{ON_DEMAND_TERM}"]["effectiveDate"]


def new_sku(n: int) -> str:
    """A 16-character SKU in AWS's alphabet, unique per ``n``."""
    return base64.b32encode(hashlib.blake2b(n.to_bytes(8, "big"), digest_size=10).digest()).decode()[:16]


def product_record(shapes: OfferShapes, j: int, rounds: int) -> tuple[str, dict[str, Any], float, bool]:
    """Product ``j``: (sku, product, On-Demand price, has Reserved terms).

    Instance types cycle; each type gets the selected combination exactly once, in
    round ``type_index % rounds``, so the kept products are spread over the file.
    """
    n_types = len(shapes.instances)
    t, r = j % n_types, j // n_types
    combo = COMBOS[0] if r == t % rounds else COMBOS[1 + (r * 7 + t) % (len(COMBOS) - 1)]
    o, s, ten, cap, lic = combo
    template, price, _ = shapes.instances[t]
    attrs = dict(template["attributes"])
    itype = attrs["instanceType"]
    usage = _TENANCY[ten][1] if not _CAPACITY[cap][1] else _CAPACITY[cap][1]
    prefix = attrs["usagetype"].split("BoxUsage:")[0]
    attrs.update(operatingSystem=_OS[o][0], preInstalledSw=_SOFTWARE[s][0], tenancy=_TENANCY[ten][0],
                 capacitystatus=_CAPACITY[cap][0], licenseModel=_LICENSE[lic],
                 usagetype=f"{prefix}{usage}:{itype}", operation=_OS[o][1])
    sku = new_sku(j)
    product = {"sku": sku, "productFamily": template["productFamily"], "attributes": attrs}
    od_price = price * _OS[o][2] * _SOFTWARE[s][1] * (1.1 if ten else 1.0)
    return sku, product, od_price, _CAPACITY[cap][0] == "Used"


def _dimension(sku: str, otc: str, rate: str, description: str, unit: str, usd: str,
               ranged: bool = True) -> tuple[str, dict[str, Any]]:
    code = f"{sku}.{otc}.{rate}"
    dim: dict[str, Any] = {"rateCode": code, "description": description}
    if ranged:
        dim.update(beginRange="0", endRange="Inf")
    dim.update(unit=unit, pricePerUnit={"USD": usd}, appliesTo=[])
    return code, dim


def on_demand_terms(sku: str, product: dict[str, Any], price: float, effective: str) -> dict[str, Any]:
    attrs = product["attributes"]
    desc = f"${price:.4g} per On Demand {attrs['operatingSystem']} {attrs['instanceType']} Instance Hour"
    code, dim = _dimension(sku, ON_DEMAND_TERM, HOURLY_RATE, desc, "Hrs", f"{price:.10f}")
    return {f"{sku}.{ON_DEMAND_TERM}": {"offerTermCode": ON_DEMAND_TERM, "sku": sku, "effectiveDate": effective,
                                        "priceDimensions": {code: dim}, "termAttributes": {}}}


def reserved_terms(sku: str, product: dict[str, Any], price: float, effective: str) -> dict[str, Any]:
    """All twelve Reserved terms; Partial and All Upfront carry an ``Upfront Fee`` (Quantity) dimension."""
    itype = product["attributes"]["instanceType"]
    desc = f"{product['attributes']['operatingSystem']} (Amazon VPC), {itype} reserved instance applied"
    out = {}
    for (length, klass, option), otc in RESERVED_TERMS.items():
        years = 1 if length == "1yr" else 3
        discount = (0.62 if years == 1 else 0.43) * (1.12 if klass == "convertible" else 1.0)
        hourly = {"No Upfront": price * discount, "Partial Upfront": price * discount * 0.48, "All Upfront": 0.0}
        dims = dict([_dimension(sku, otc, HOURLY_RATE, desc, "Hrs", f"{hourly[option]:.10f}")])
        if option != "No Upfront":
            fee = price * discount * 8760 * years * (0.5 if option == "Partial Upfront" else 0.97)
            dims.update([_dimension(sku, otc, UPFRONT_RATE, "Upfront Fee", "Quantity", f"{fee:.0f}", ranged=False)])
        out[f"{sku}.{otc}"] = {"offerTermCode": otc, "sku": sku, "effectiveDate": effective,
                               "priceDimensions": dims,
                               "termAttributes": {"LeaseContractLength": length, "OfferingClass": klass,
                                                  "PurchaseOption": option}}
    return out


class _Writer:
    """Writes JSON members compactly, or in AWS's layout (2-space indent, ``" : "``)."""

    def __init__(self, out: IO[str], pretty: bool) -> None:
        self.out = out
        self.pretty = pretty
        self.colon = " : " if pretty else ":"

    def dumps(self, value: Any, depth: int) -> str:
        if not self.pretty:
            return json.dumps(value, separators=(",", ":"))
        return json.dumps(value, indent=2, separators=(",", " : ")).replace("\n", "\n" + "  " * depth)

    def member(self, key: str, value: Any, depth: int, first: bool) -> None:
        nl = "\n" + "  " * depth if self.pretty else ""
        self.out.write(("" if first else ",") + nl + json.dumps(key) + self.colon + self.dumps(value, depth))

    def open(self, key: str, depth: int, first: bool) -> None:
        nl = "\n" + "  " * depth if self.pretty else ""
        self.out.write(("" if first else ",") + nl + json.dumps(key) + self.colon + "{")

    def close(self, depth: int) -> None:
        self.out.write(("\n" + "  " * depth if self.pretty else "") + "}")


def _product_stream(shapes: OfferShapes, n: int) -> Iterator[tuple[str, dict[str, Any], float, bool]]:
    rounds = -(-n // len(shapes.instances))
    for j in range(n):
        yield product_record(shapes, j, rounds)


def _bytes_per_product(shapes: OfferShapes, pretty: bool, rounds: int) -> float:
    """Average bytes one instance product adds (product + its terms), from a sample written the same way."""
    buf = io.StringIO()
    w = _Writer(buf, pretty)
    step = max(1, rounds * len(shapes.instances) // 3000)
    sample = [product_record(shapes, j, rounds) for j in range(0, rounds * len(shapes.instances), step)]
    for sku, product, price, has_ri in sample:
        w.member(sku, product, 2, False)
        w.member(sku, on_demand_terms(sku, product, price, shapes.effective_date), 3, False)
        if has_ri:
            w.member(sku, reserved_terms(sku, product, price, shapes.effective_date), 3, False)
    return len(buf.getvalue()) / len(sample)


def write_offer_file(path: Path, shapes: OfferShapes, size_mb: float, *, pretty: bool) -> int:
    """Stream a synthetic offer file of about ``size_mb`` MB; returns its number of instance products."""
    n_types = len(shapes.instances)
    n = int(size_mb * 1e6 / _bytes_per_product(shapes, pretty, 100))
    n = max(n_types, int(size_mb * 1e6 / _bytes_per_product(shapes, pretty, max(1, -(-n // n_types)))))
    effective = shapes.effective_date
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        w = _Writer(out, pretty)
        out.write("{")
        for i, (key, value) in enumerate(shapes.header.items()):
            w.member(key, value, 1, i == 0)
        w.open("products", 1, False)
        for i, (product, _) in enumerate(shapes.others):
            w.member(product["sku"], product, 2, i == 0)
        for sku, product, _, _ in _product_stream(shapes, n):
            w.member(sku, product, 2, False)
        w.close(1)
        w.open("terms", 1, False)
        w.open("OnDemand", 2, True)
        for i, (product, od_term) in enumerate(shapes.others):
            w.member(product["sku"], od_term, 3, i == 0)
        for sku, product, price, _ in _product_stream(shapes, n):
            w.member(sku, on_demand_terms(sku, product, price, effective), 3, False)
        w.close(2)
        w.open("Reserved", 2, False)
        first = True
        for sku, product, price, has_ri in _product_stream(shapes, n):
            if has_ri:
                w.member(sku, reserved_terms(sku, product, price, effective), 3, first)
                first = False
        w.close(2)
        w.close(1)
        out.write("\n}\n" if pretty else "}\n")
    return n


# --- the two methods (run in child processes) ---------------------------------------
def _rows_digest(rows: Iterator[Any]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        count += 1
        digest.update(repr(row).encode())
    return count, digest.hexdigest()[:16]


def run_child(method: str, path: Path) -> dict[str, Any]:
    from pricing.importer import iter_offer_path
    from pricing.normalize import normalize_offer_records
    from pricing.offer_json import OfferHeader, OfferProduct, OfferTerms

    label = f"bulk:{path.name}"
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if method == "naive":
        with path.open("rb") as stream:
            doc = json.load(stream)

        def records() -> Iterator[Any]:
            for key, value in doc.items():
                if key == "products":
                    for sku, product in value.items():
                        yield OfferProduct(sku, product)
                elif key == "terms":
                    for term_type, by_sku in value.items():
                        for sku, offers in by_sku.items():
                            yield OfferTerms(term_type, sku, offers)
                else:
                    yield OfferHeader(key, value)

        rows, digest = _rows_digest(normalize_offer_records(records(), label))
    elif method == "streaming":
        rows, digest = _rows_digest(iter_offer_path(path, label))
    elif method == "baseline":
        rows, digest = 0, ""
    else:
        raise SystemExit(f"unknown method {method!r}")
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"method": method, "seconds": seconds, "peak_rss_mib": peak_kib / 1024,
            "baseline_rss_mib": baseline_kib / 1024, "rows": rows, "digest": digest}


def _spawn(method: str, path: Path) -> dict[str, Any]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", method, str(path)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{method} failed ({proc.returncode}):\n{proc.stderr}")
    result = json.loads(proc.stdout)
    result["process_seconds"] = time.perf_counter() - start
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=450.0, help="synthetic file size in MB (default 450)")
    parser.add_argument("--pretty", action="store_true",
                        help="write AWS's indented layout instead of compact JSON")
    parser.add_argument("--source", type=Path, default=None,
                        help="offer file whose record shapes are replicated (default: shared data, else the "
                             "test fixture)")
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_child(args.child[0], Path(args.child[1]))))
        return 0

    source = args.source or (SHARED_SOURCE if SHARED_SOURCE.exists() else FIXTURE_SOURCE)
    shapes = OfferShapes(source)
    with tempfile.TemporaryDirectory(prefix="offer-bench-") as tmp:
        path = Path(tmp) / "index.json"
        start = time.perf_counter()
        n = write_offer_file(path, shapes, args.size_mb, pretty=args.pretty)
        size = path.stat().st_size
        print(f"wrote {size / 1e6:.0f} MB ({n + len(shapes.others)} products, "
              f"{'pretty' if args.pretty else 'compact'}) from the shapes of {source.name} "
              f"({source.parent.parent.name}/{source.parent.name}) in {time.perf_counter() - start:.1f} s")
        results = {m: _spawn(m, path) for m in ("baseline", "streaming", "naive")}
    base, stream, naive = results["baseline"], results["streaming"], results["naive"]
    print(f"\ninterpreter + imports alone: {base['peak_rss_mib']:.0f} MiB peak RSS\n")
    print(f"{'method':<10} {'wall s':>8} {'peak RSS MiB':>13} {'above base MiB':>15} {'rows':>8}  digest")
    for r in (naive, stream):
        print(f"{r['method']:<10} {r['seconds']:>8.2f} {r['peak_rss_mib']:>13.0f} "
              f"{r['peak_rss_mib'] - base['peak_rss_mib']:>15.0f} {r['rows']:>8}  {r['digest']}")
    time_ratio = stream["seconds"] / naive["seconds"]
    mem_ratio = stream["peak_rss_mib"] / naive["peak_rss_mib"]
    print(f"{'ratio':<10} {time_ratio:>8.3f} {mem_ratio:>13.3f}   (streaming / naive)")
    same = stream["rows"] == naive["rows"] and stream["digest"] == naive["digest"]
    print(f"\nsame rows: {'yes' if same else 'NO'}; goal peak RSS <= 0.1 x naive: "
          f"{'met' if mem_ratio <= 0.1 else 'MISSED'}; goal no slower: {'met' if time_ratio <= 1.0 else 'MISSED'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
