#!/usr/bin/env python3
"""Copies the document security store (PAdES B-LT /DSS) of a PDF into a folder, read
by qpdf's JSON output rather than by Lontar's own code: cert-N.der, ocsp-N.der,
crl-N.der. Prints "certs ocsps crls" counts."""
import json
import os
import subprocess
import sys
import tempfile

pdf, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with tempfile.TemporaryDirectory() as streams:
    dump = subprocess.run(
        ["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=file",
         f"--json-stream-prefix={streams}/s", "--decode-level=none", pdf],
        check=True, capture_output=True).stdout
    objects = json.loads(dump)["qpdf"][1]
    root = objects["obj:" + objects["trailer"]["value"]["/Root"]]["value"]
    if "/DSS" not in root:
        print("0 0 0")
        sys.exit(0)
    store = objects["obj:" + root["/DSS"]]["value"]
    counts = []
    for key, name in (("/Certs", "cert"), ("/OCSPs", "ocsp"), ("/CRLs", "crl")):
        refs = store.get(key, [])
        for i, ref in enumerate(refs):
            with open(objects["obj:" + ref]["stream"]["datafile"], "rb") as src, \
                    open(os.path.join(out, f"{name}-{i}.der"), "wb") as dst:
                dst.write(src.read())
        counts.append(str(len(refs)))
    print(" ".join(counts))
