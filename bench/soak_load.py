#!/usr/bin/env python3
"""A paced mixed load for the soak: portal pages with a session, API reads, OCSP with a
fresh nonce, the CRL, and an endless renewal cycle (each applicant asks for an eSign
certificate, a verifier approves it, the applicant asks again), at `rate` requests per
second (0: as fast as the threads go) for `seconds`. Prints one JSON summary: requests,
answers by class, connection errors, the rate reached, the renewal cycles done, and (probing
only) the refusals obeyed.
Usage: soak_load.py BASE SECONDS RATE THREADS LETTER OCSP_REQUEST OCSP_TEMPLATE OCSP_SERIALS
                    APPLICANTS VERIFIER PASSWORD
OCSP_REQUEST asks about the soak's own certificate; OCSP_TEMPLATE is a request with a
nonce for the first of OCSP_SERIALS (hex, one per line, all as long), into which each of
the others is put in turn."""
import base64
import http.client
import json
import random
import re
import sys
import threading
import time

(base, seconds, rate, threads_n, letter_path, ocsp_path, template_path, serials_path, applicants_path, verifier,
 password) = sys.argv[1:12]
host, port = base.replace("http://", "").split(":")
seconds, rate, threads_n = float(seconds), float(rate), int(threads_n)
letter = base64.b64encode(open(letter_path, "rb").read()).decode()
ocsp_request = open(ocsp_path, "rb").read()
serials = [bytes.fromhex(line.strip()) for line in open(serials_path) if line.strip()]
template = open(template_path, "rb").read()
before, _, after = template.partition(serials[0])
assert after, "the template does not hold the first serial"
random_ocsp = [before + serial + after for serial in serials]
applicants = [line.strip() for line in open(applicants_path) if line.strip()]
lock = threading.Lock()
started = deadline = None  # set once every thread has logged in
counts = {"requests": 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, "errors": 0, "issued": 0, "shed": 0}
refusals = {}  # "METHOD /path/{id} STATUS code" → count, so that every 4xx is accounted for
waiting = []  # (request id, applicant) submitted, for the verifier
pending = set()  # applicants with a request open: one at a time (SPEC §3)


def call_once(method, path, body, headers):
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Retry-After")
    except Exception:
        return None, b"", None
    finally:
        connection.close()


def call(method, path, body=None, headers=None):
    status, data, retry_after = call_once(method, path, body, headers)
    # Probing for capacity (unpaced), the server's back-pressure (503 with Retry-After)
    # is obeyed as a client would, and not counted as an answer: otherwise refusals that
    # cost microseconds would pass for capacity, and the soak would be paced above it.
    while rate == 0 and status == 503 and retry_after and deadline and time.time() < deadline:
        with lock:
            counts["shed"] += 1
        time.sleep(min(float(retry_after), 1.0))
        status, data, retry_after = call_once(method, path, body, headers)
    with lock:
        counts["requests"] += 1
        counts["errors" if status is None else "%dxx" % (status // 100)] += 1
        if status is not None and 400 <= status < 500:
            key = "%s %s %d %s" % (method, re.sub(r"/[0-9]+", "/{id}", path), status, error_code(data))
            refusals[key] = refusals.get(key, 0) + 1
    return status, data


def error_code(data):
    try:
        return json.loads(data)["error"]["code"]
    except Exception:
        return "-"


def token(nik):
    status, data = call("POST", "/api/v1/session", json.dumps({"nik": nik, "password": password}),
                        {"Content-Type": "application/json"})
    return json.loads(data)["token"] if status == 200 else "x"


def request_certificate(nik, bearer):
    body = json.dumps({"product": "individual-1y", "method": "esign", "agreement_accepted": True,
                       "passphrase": "Rahasia-eSign-" + nik, "letter_pdf_base64": letter})
    status, data = call("POST", "/api/v1/requests", body,
                        {"Content-Type": "application/json", "Authorization": "Bearer " + bearer})
    if status != 201:
        return
    made = json.loads(data)
    made = made.get("request", made)
    with lock:
        if made.get("state") == "issued":
            counts["issued"] += 1
        else:
            pending.add(nik)
            waiting.append((made["id"], nik))


def approve(bearer):
    with lock:
        request_id, nik = waiting.pop(0) if waiting else (None, None)
    if request_id is None:
        return False
    status, data = call("POST", "/api/v1/requests/%d/approve" % request_id, "", {"Authorization": "Bearer " + bearer})
    with lock:
        if status == 200 and b'"state":"issued"' in data:
            counts["issued"] += 1
        pending.discard(nik)
    return True


def start_clock():
    # Logging in (Argon2id, tenths of a second each) is set-up, not the measured load.
    global started, deadline
    started = time.time()
    deadline = started + seconds
    for key in counts:
        counts[key] = 0
    refusals.clear()


logged_in = threading.Barrier(threads_n, action=start_clock)


def worker(index):
    mine = applicants[index::threads_n]
    bearers = {nik: token(nik) for nik in mine}
    verifier_bearer = token(verifier)
    logged_in.wait()
    interval = threads_n / rate if rate > 0 else 0.0
    next_at = time.time()
    step = index
    while time.time() < deadline:
        if interval:
            next_at += interval
            pause = next_at - time.time()
            if pause > 0:
                time.sleep(pause)
        step += 1
        kind = step % 10
        nik = mine[step % len(mine)] if mine else applicants[0]
        if kind == 0:
            call("POST", "/ocsp", ocsp_request, {"Content-Type": "application/ocsp-request"})
        elif kind in (1, 2):
            call("POST", "/ocsp", random.choice(random_ocsp), {"Content-Type": "application/ocsp-request"})
        elif kind in (3, 4):
            call("GET", "/api/v1/certificates", headers={"Authorization": "Bearer " + bearers.get(nik, "x")})
        elif kind == 5:
            call("GET", "/login")
        elif kind == 6:
            call("GET", "/crl/issuing.crl")
        elif kind == 7:
            call("GET", "/healthz")
        elif kind == 8 and mine and nik not in pending:
            request_certificate(nik, bearers[nik])
        elif kind == 8 or not approve(verifier_bearer):
            call("GET", "/api/v1/certificates", headers={"Authorization": "Bearer " + bearers.get(nik, "x")})


threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
for t in threads:
    t.start()
for t in threads:
    t.join()
counts["rate"] = round(counts["requests"] / (time.time() - started), 1)
counts["refusals"] = refusals
print(json.dumps(counts))
