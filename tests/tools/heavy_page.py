#!/usr/bin/env python3
# Writes a one-page PDF whose page is N thin lines (deflated): cheap to store and to
# sign, but seconds of work for any renderer. For the preview isolation test.
import sys, zlib
n = int(sys.argv[1])
content = b"0.1 w\n" + b"".join(b"%d %d m %d %d l S\n" % (i % 595, (i * 7) % 842, (i * 13) % 595, (i * 3) % 842) for i in range(n))
stream = zlib.compress(content, 9)
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
out = b"%PDF-1.7\n"
offsets = []
for i, o in enumerate(objs):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
sys.stdout.buffer.write(out)
