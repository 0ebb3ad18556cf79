#!/usr/bin/env python3
"""A bounded mixed load against one address (the balancer): portal pages, API reads,
OCSP, eSign requests by applicants (each acknowledged 201 recorded) and their approval
by a verifier (each acknowledged issuance recorded), and CRL samples. Stops after
`seconds` or `max_requests`, whichever comes first. Writes one JSON line per request
to `log` and prints a summary."""
import base64
import hashlib
import http.client
import json
import sys
import threading
import time

base, seconds, max_requests, threads_n, log_path, letter_path, ocsp_path, applicants_path, verifier = sys.argv[1:10]
host, port = base.replace("http://", "").split(":")
seconds, max_requests, threads_n = float(seconds), int(max_requests), int(threads_n)
password = "Benar-sekali-2026"
letter = base64.b64encode(open(letter_path, "rb").read()).decode()
ocsp_request = open(ocsp_path, "rb").read()
applicants = [line.strip() for line in open(applicants_path) if line.strip()]
lock = threading.Lock()
log = open(log_path, "w")
deadline = time.time() + seconds
count = 0
approvals = []  # request ids acknowledged, waiting for the verifier


def call(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    started = time.time()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, data, started
    except Exception as error:  # a connection cut by a killed server
        return "error:" + type(error).__name__, b"", started
    finally:
        connection.close()


def record(kind, status, started, **extra):
    with lock:
        log.write(json.dumps({"kind": kind, "status": status, "at": started, "end": time.time(), **extra}) + "\n")
        log.flush()


def token(nik):
    status, data, at = call("POST", "/api/v1/session", json.dumps({"nik": nik, "password": password}),
                            {"Content-Type": "application/json"})
    record("login", status, at)
    return json.loads(data)["token"] if status == 200 else None


def take():
    global count
    with lock:
        if time.time() >= deadline or count >= max_requests:
            return False
        count += 1
        return True


def worker(index):
    my_applicants = applicants[index::threads_n]
    reader = my_applicants[0] if my_applicants else applicants[0]
    verifier_token = None
    step = 0
    while take():
        step += 1
        kind = ["page", "api", "ocsp", "write", "approve", "crl"][step % 6]
        if kind == "page":
            status, _, at = call("GET", "/login")
            record(kind, status, at)
        elif kind == "ocsp":
            status, _, at = call("POST", "/ocsp", ocsp_request, {"Content-Type": "application/ocsp-request"})
            record(kind, status, at)
        elif kind == "crl":
            status, data, at = call("GET", "/crl/issuing.crl")
            record(kind, status, at, sha256=hashlib.sha256(data).hexdigest() if status == 200 else "")
        elif kind == "api":
            status, _, at = call("GET", "/api/v1/certificates",
                                 headers={"Authorization": "Bearer " + (token(reader) or "x")})
            record(kind, status, at)
        elif kind == "write" and my_applicants:
            nik = my_applicants.pop()
            bearer = token(nik)
            body = json.dumps({"product": "individual-1y", "method": "esign", "agreement_accepted": True,
                               "passphrase": "Rahasia-eSign-" + nik, "letter_pdf_base64": letter})
            status, data, at = call("POST", "/api/v1/requests", body,
                                    {"Content-Type": "application/json", "Authorization": "Bearer " + (bearer or "x")})
            request_id = json.loads(data).get("request", json.loads(data)).get("id") if status == 201 else None
            record(kind, status, at, request=request_id, nik=nik)
            if request_id:
                with lock:
                    approvals.append(request_id)
        elif kind == "approve":
            with lock:
                request_id = approvals.pop(0) if approvals else None
            if request_id is None:
                continue
            verifier_token = verifier_token or token(verifier)
            status, data, at = call("POST", "/api/v1/requests/%d/approve" % request_id, "",
                                    {"Authorization": "Bearer " + (verifier_token or "x")})
            issued = status == 200 and b'"state":"issued"' in data
            record(kind, status, at, request=request_id, issued=issued)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
for t in threads:
    t.start()
for t in threads:
    t.join()
log.close()
print(json.dumps({"requests": count}))
